/* Inside an embedded scorecard: tell the embedding page (and only it) how tall the content is. */
(function () {
  "use strict";
  if (window.parent === window) return;
  var params = new URLSearchParams(window.location.search);
  var frame = params.get("frame");
  var parent = params.get("parent");
  if (!frame || !parent || !/^https?:\/\/[^\/\s]+$/.test(parent)) return;
  var last = 0;
  function send() {
    // Not scrollHeight: it never drops below the iframe's current height, so it could only grow.
    var h = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (h === last) return;
    last = h;
    window.parent.postMessage({ type: "edtracker:resize", frame: frame, height: h }, parent);
  }
  window.addEventListener("load", send);
  if (window.ResizeObserver) new ResizeObserver(send).observe(document.body);
  send();
})();
