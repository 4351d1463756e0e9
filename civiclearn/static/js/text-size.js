/* Text size in three steps, kept on this device (localStorage), never in the account.
   Loaded in <head> without defer: the size is on <html> before anything is drawn, so a page never jumps.
   On a kiosk, Finish forgets it (the finish form says so with data-forget-text-size): the next person
   starts at the usual size, as they find the screen in Thai. Without JavaScript the control stays hidden. */
(function () {
  "use strict";
  var KEY = "civiclearn-text-size";
  var SIZES = ["normal", "large", "larger"]; // classes text-large and text-larger in app.css
  var root = document.documentElement;

  function stored() {
    try {
      var size = window.localStorage.getItem(KEY);
      return SIZES.indexOf(size) > 0 ? size : "normal";
    } catch (error) { // storage switched off: the usual size, and the buttons still work for this page
      return "normal";
    }
  }

  function store(size) {
    try {
      if (size === "normal") {
        window.localStorage.removeItem(KEY);
      } else {
        window.localStorage.setItem(KEY, size);
      }
    } catch (error) { /* not kept, as above */ }
  }

  function apply(size) {
    SIZES.forEach(function (name) {
      if (name !== "normal") {
        root.classList.toggle("text-" + name, name === size);
      }
    });
  }

  apply(stored());

  document.addEventListener("DOMContentLoaded", function () {
    var control = document.getElementById("text-size");
    if (!control) {
      return;
    }
    var buttons = control.querySelectorAll("button[data-size]");

    function show(size) {
      Array.prototype.forEach.call(buttons, function (button) {
        button.setAttribute("aria-pressed", String(button.getAttribute("data-size") === size));
      });
    }

    Array.prototype.forEach.call(buttons, function (button) {
      button.addEventListener("click", function () {
        var size = button.getAttribute("data-size");
        store(size);
        apply(size);
        show(size);
      });
    });
    show(stored());
    control.hidden = false;
  });

  document.addEventListener("submit", function (event) {
    if (event.target.hasAttribute("data-forget-text-size")) {
      store("normal");
    }
  });
})();
