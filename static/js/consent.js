// Consent page comforts: read the information aloud, and sign on the screen.
// The page works without this file; signing is the one method that needs it.
(function () {
  "use strict";

  function voiceFor(lang) {
    if (!("speechSynthesis" in window)) return null;
    var voices = window.speechSynthesis.getVoices();
    for (var i = 0; i < voices.length; i++) {
      if (voices[i].lang && voices[i].lang.toLowerCase().indexOf(lang) === 0) return voices[i];
    }
    return null;
  }

  function setUpReadAloud(button) {
    var lang = button.getAttribute("data-lang");
    var target = document.getElementById(button.getAttribute("data-target"));
    function offer() {
      if (voiceFor(lang)) button.hidden = false;
    }
    offer();
    if ("speechSynthesis" in window) {
      window.speechSynthesis.addEventListener("voiceschanged", offer);
    }
    button.addEventListener("click", function () {
      var synth = window.speechSynthesis;
      if (synth.speaking) {
        synth.cancel();
        return;
      }
      var utterance = new SpeechSynthesisUtterance(target.textContent);
      utterance.lang = lang;
      utterance.voice = voiceFor(lang);
      utterance.rate = 0.9;
      synth.speak(utterance);
    });
  }

  function setUpSignature(pad) {
    var canvas = pad.querySelector("canvas");
    var output = document.getElementById("signature-data");
    var clear = pad.querySelector(".signature-clear");
    var context = canvas.getContext("2d");
    var drawing = false;
    var drawn = false;
    context.lineWidth = 4;
    context.lineCap = "round";
    context.strokeStyle = "#000";

    function point(event) {
      var box = canvas.getBoundingClientRect();
      return {
        x: (event.clientX - box.left) * (canvas.width / box.width),
        y: (event.clientY - box.top) * (canvas.height / box.height),
      };
    }
    canvas.addEventListener("pointerdown", function (event) {
      drawing = true;
      canvas.setPointerCapture(event.pointerId);
      var p = point(event);
      context.beginPath();
      context.moveTo(p.x, p.y);
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) return;
      var p = point(event);
      context.lineTo(p.x, p.y);
      context.stroke();
      drawn = true;
    });
    function finish() {
      if (!drawing) return;
      drawing = false;
      if (drawn) output.value = canvas.toDataURL("image/png");
    }
    canvas.addEventListener("pointerup", finish);
    canvas.addEventListener("pointercancel", finish);
    clear.addEventListener("click", function () {
      context.clearRect(0, 0, canvas.width, canvas.height);
      output.value = "";
      drawn = false;
    });

    var radios = document.querySelectorAll('input[name="method"]');
    function sync() {
      var chosen = document.querySelector('input[name="method"]:checked');
      pad.hidden = !(chosen && chosen.value === "signature");
    }
    for (var i = 0; i < radios.length; i++) radios[i].addEventListener("change", sync);
    sync();
  }

  document.querySelectorAll(".read-aloud").forEach(setUpReadAloud);
  var pad = document.getElementById("signature-pad");
  if (pad) setUpSignature(pad);
})();
