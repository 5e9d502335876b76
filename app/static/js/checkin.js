// Check-in with the phone camera: each QR code read is sent (one small POST) and the result is
// spoken aloud by the status line. Without a camera, the typed-code form works on its own.
import QrScanner from "../vendor/qr-scanner/qr-scanner.min.js";

const form = document.getElementById("code-form");
const button = document.getElementById("start-camera");
const panel = document.getElementById("scanner");
const result = document.getElementById("scan-result");
const seen = new Map();

async function send(code) {
  const now = Date.now();
  if (seen.has(code) && now - seen.get(code) < 4000) return; // the same code, still in view
  seen.set(code, now);
  const body = new FormData(form);
  body.set("code", code);
  try {
    const response = await fetch(form.action || window.location.href, {
      method: "POST", body, headers: { Accept: "application/json" }, credentials: "same-origin",
    });
    const answer = await response.json();
    result.textContent = answer.message;
    result.className = answer.ok ? "scan-ok" : "scan-error";
  } catch (error) {
    result.textContent = form.dataset.offline || "…";
    seen.delete(code); // let the next read try again
  }
}

QrScanner.hasCamera().then((hasCamera) => {
  if (!hasCamera) return;
  button.hidden = false;
  button.addEventListener("click", () => {
    panel.hidden = false;
    button.hidden = true;
    const scanner = new QrScanner(document.getElementById("camera"), (scan) => send(scan.data), {
      returnDetailedScanResult: true, highlightScanRegion: true,
    });
    scanner.start();
  });
});
