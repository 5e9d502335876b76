// Tells the server the reader's time zone, so that agendas can show times in it too.
(function () {
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && document.cookie.indexOf("tz=" + zone) === -1) {
      document.cookie = "tz=" + zone + ";path=/;max-age=31536000;samesite=lax";
    }
  } catch (error) { /* an old browser: times stay in the programme's zone */ }
})();
