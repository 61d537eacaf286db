// Fieldwork comforts: fill in the phone's location. Without this file the fields are typed.
(function () {
  "use strict";
  if (!("geolocation" in navigator)) return;
  document.querySelectorAll(".locate").forEach(function (button) {
    var prefix = button.getAttribute("data-prefix");
    var status = document.getElementById(prefix + "-status");
    button.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = "…";
      navigator.geolocation.getCurrentPosition(
        function (position) {
          document.getElementById(prefix + "_lat").value = position.coords.latitude.toFixed(6);
          document.getElementById(prefix + "_lon").value = position.coords.longitude.toFixed(6);
          document.getElementById(prefix + "_accuracy").value = Math.round(position.coords.accuracy);
          status.textContent = "± " + Math.round(position.coords.accuracy) + " m";
        },
        function () {
          status.textContent = "–";
        },
        { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 }
      );
    });
  });
})();
