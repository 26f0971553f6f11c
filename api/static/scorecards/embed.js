/* edtracker scorecard embed. One line on any page:
 *   <script src="https://TRACKER/embed.js" data-scorecard="COALITION/SLUG" async></script>
 * optional: data-legislator="bioguide:B000944" (a card), data-lang="es", data-title="...".
 * Inserts an iframe from the same server as this script and resizes it to its content. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.src) return;
  var origin = new URL(script.src).origin;
  var ref = script.getAttribute("data-scorecard") || "";
  if (!/^[a-z0-9-]+\/[a-z0-9-]+$/.test(ref)) return;
  var parts = ref.split("/");
  var legislator = script.getAttribute("data-legislator");
  var lang = script.getAttribute("data-lang") === "es" ? "es" : "en";
  var id = "edtracker-" + Math.random().toString(36).slice(2, 10);
  var path = "/embed/c/" + parts[0] + "/scorecards/" + parts[1] +
    (legislator ? "/legislators/" + encodeURI(legislator) : "");
  var query = new URLSearchParams({ lang: lang, frame: id, parent: window.location.origin });
  var frame = document.createElement("iframe");
  frame.id = id;
  frame.src = origin + path + "?" + query.toString();
  frame.title = script.getAttribute("data-title") || (legislator ? "Legislator scorecard" : "Legislator scorecard table");
  frame.style.border = "0";
  frame.style.width = "100%";
  frame.style.height = (legislator ? 260 : 600) + "px";
  frame.setAttribute("loading", "lazy");
  script.parentNode.insertBefore(frame, script.nextSibling);
  window.addEventListener("message", function (event) {
    // Only our own server, from this very iframe, may resize it.
    if (event.origin !== origin || event.source !== frame.contentWindow) return;
    var data = event.data;
    if (!data || data.type !== "edtracker:resize" || data.frame !== id) return;
    var height = Math.ceil(Number(data.height));
    if (height > 0 && height < 20000) frame.style.height = height + "px";
  });
})();
