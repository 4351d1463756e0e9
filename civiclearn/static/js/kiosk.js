/* Kiosk idle time: warn for the last seconds, then finish the session by itself.
   Without this script the server still signs out at the next request after the idle time. */
(function () {
  "use strict";
  var body = document.body;
  var idle = parseInt(body.getAttribute("data-idle-seconds"), 10);
  var warn = parseInt(body.getAttribute("data-warn-seconds"), 10);
  var dialog = document.getElementById("idle-warning");
  var count = document.getElementById("idle-count");
  var stay = document.getElementById("idle-stay");
  var finish = document.getElementById("finish-form");
  if (!idle || !dialog || !finish) {
    return;
  }
  var last = Date.now();
  var lastPing = Date.now();
  var pingEvery = Math.min(60000, idle * 500); // keep the server's idle clock in step while someone reads

  function ping() {
    lastPing = Date.now();
    if (window.fetch) {
      window.fetch(body.getAttribute("data-still-here"), { credentials: "same-origin", cache: "no-store" });
    }
  }

  function activity() {
    last = Date.now();
    if (!dialog.hidden) {
      dialog.hidden = true;
    }
    if (Date.now() - lastPing > pingEvery) {
      ping();
    }
  }

  // civiclearn-listening: a lesson read aloud (read-aloud.js) has someone listening, hands off
  ["keydown", "pointerdown", "scroll", "touchstart", "civiclearn-listening"].forEach(function (name) {
    window.addEventListener(name, activity, { passive: true });
  });
  stay.addEventListener("click", function () {
    activity();
    ping();
  });

  window.setInterval(function () {
    var left = idle - (Date.now() - last) / 1000;
    if (left <= 0) {
      if (finish.requestSubmit) {
        finish.requestSubmit(); // as if pressed: its submit listeners run (text-size.js forgets the size)
      } else {
        finish.submit();
      }
      return;
    }
    if (left <= warn) {
      if (dialog.hidden) {
        dialog.hidden = false;
        stay.focus();
      }
      count.textContent = String(Math.ceil(left));
    }
  }, 1000);
})();
