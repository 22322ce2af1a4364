/* Acus: after django-otp-webauthn has added a passkey, show the page again so the new
   passkey is in the list. The library announces success with a DOM event. */
(function () {
  "use strict";
  document.addEventListener("otp_webauthn.register_complete", function () {
    window.location.reload();
  });
})();
