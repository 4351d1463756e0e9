// LTI Dynamic Registration's last step: tell the LMS page that opened us (a window or a frame) that we are done.
(window.opener || window.parent).postMessage({subject: "org.imsglobal.lti.close"}, "*");
