/* Tandem support widget.
 * <script src="https://tandem.example.com/widget.js" data-key="pk_..." async></script>
 * Optional: data-title="Help", data-server="https://tandem.example.com".
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.__tandemWidget) return;
  window.__tandemWidget = true;
  var key = script.getAttribute("data-key") || "";
  var server = (script.getAttribute("data-server") || new URL(script.src).origin).replace(/\/$/, "");
  var title = script.getAttribute("data-title") || "Support";
  var storeKey = "tandem-conversation-" + key.slice(0, 12);
  var state = { conversation: sessionStorage.getItem(storeKey), seq: 0, polling: null, busy: false };

  var host = document.createElement("div");
  host.id = "tandem-widget";
  var root = host.attachShadow({ mode: "open" });
  root.innerHTML =
    "<style>" +
    ":host{all:initial;font:14px/1.4 system-ui,sans-serif}" +
    ".bubble{position:fixed;right:20px;bottom:20px;width:56px;height:56px;border-radius:50%;border:0;" +
    "background:#2451b7;color:#fff;font-size:24px;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25);z-index:2147483646}" +
    ".panel{position:fixed;right:20px;bottom:88px;width:340px;max-height:70vh;display:none;flex-direction:column;" +
    "background:#fff;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.25);overflow:hidden;z-index:2147483647}" +
    ".panel.open{display:flex}.head{background:#2451b7;color:#fff;padding:12px 14px;font-weight:600}" +
    ".log{flex:1;overflow-y:auto;padding:10px;display:flex;flex-direction:column;gap:8px;min-height:200px}" +
    ".msg{padding:8px 10px;border-radius:10px;max-width:85%;white-space:pre-wrap;word-wrap:break-word}" +
    ".user{align-self:flex-end;background:#2451b7;color:#fff}.assistant,.agent{align-self:flex-start;background:#f0f2f7;color:#111}" +
    ".agent{border-left:3px solid #1f9d55}.error{align-self:center;color:#b00020;font-size:12px}" +
    ".sources{margin-top:6px;font-size:12px;color:#555}.rate{margin-top:4px}.rate button{border:0;background:none;cursor:pointer;font-size:14px}" +
    "form{display:flex;border-top:1px solid #ddd}input{flex:1;border:0;padding:12px;font:inherit;outline:none}" +
    "form button{border:0;background:#2451b7;color:#fff;padding:0 16px;cursor:pointer}" +
    "</style>" +
    '<button class="bubble" part="bubble" aria-label="Open chat">&#128172;</button>' +
    '<div class="panel" role="dialog" aria-label="' + title.replace(/"/g, "&quot;") + '">' +
    '<div class="head"></div><div class="log" aria-live="polite"></div>' +
    '<form><input name="message" autocomplete="off" placeholder="Ask a question..." maxlength="4000">' +
    '<button type="submit">Send</button></form></div>';
  root.querySelector(".head").textContent = title;
  var panel = root.querySelector(".panel");
  var log = root.querySelector(".log");
  var form = root.querySelector("form");
  var input = root.querySelector("input");

  root.querySelector(".bubble").addEventListener("click", function () {
    panel.classList.toggle("open");
    if (panel.classList.contains("open")) input.focus();
  });

  function add(role, text, extra) {
    var div = document.createElement("div");
    div.className = "msg " + role;
    div.setAttribute("data-role", role);
    div.textContent = text;
    if (extra) div.appendChild(extra);
    log.appendChild(div);
    log.scrollTop = log.scrollHeight;
    return div;
  }

  function sources(citations) {
    if (!citations || !citations.length) return null;
    var box = document.createElement("div");
    box.className = "sources";
    box.textContent = "Sources: " + citations.map(function (c) {
      return "[" + c.index + "] " + (c.title || c.document);
    }).join("; ");
    return box;
  }

  function rating(messageId) {
    var box = document.createElement("div");
    box.className = "rate";
    ["up", "down"].forEach(function (value) {
      var b = document.createElement("button");
      b.type = "button";
      b.setAttribute("data-rating", value);
      b.setAttribute("aria-label", value === "up" ? "Helpful" : "Not helpful");
      b.textContent = value === "up" ? "\uD83D\uDC4D" : "\uD83D\uDC4E";
      b.addEventListener("click", function () {
        call("POST", "/widget/v1/feedback", { message_id: messageId, rating: value }).then(function () {
          box.textContent = "Thanks for the feedback.";
        }, showError);
      });
      box.appendChild(b);
    });
    return box;
  }

  function call(method, path, body) {
    return fetch(server + path, {
      method: method,
      headers: body ? { "content-type": "application/json", "x-widget-key": key } : { "x-widget-key": key },
      body: body ? JSON.stringify(body) : undefined,
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) throw new Error((data.error && data.error.message) || "request failed");
        return data;
      });
    });
  }

  function showError(error) {
    add("error", "Sorry, something went wrong: " + error.message);
  }

  function poll() {
    if (!state.conversation || state.polling) return;
    state.polling = setInterval(function () {
      call("GET", "/widget/v1/conversations/" + state.conversation + "?after=" + state.seq).then(function (data) {
        data.messages.forEach(function (m) {
          state.seq = Math.max(state.seq, m.seq);
          if (m.role === "agent") add("agent", m.content);
        });
        if (data.status !== "with_agent") { clearInterval(state.polling); state.polling = null; }
      }, function () {});
    }, 2500);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text || state.busy) return;
    input.value = "";
    add("user", text);
    state.busy = true;
    var waiting = add("assistant", "\u2026");
    call("POST", "/widget/v1/chat", { message: text, conversation_id: state.conversation }).then(function (reply) {
      waiting.remove();
      state.conversation = reply.conversation_id;
      sessionStorage.setItem(storeKey, reply.conversation_id);
      var extra = document.createElement("div");
      var src = sources(reply.citations);
      if (src) extra.appendChild(src);
      if (!reply.handoff) extra.appendChild(rating(reply.message_id));
      add("assistant", reply.answer, extra);
      if (reply.handoff) poll();
      return call("GET", "/widget/v1/conversations/" + reply.conversation_id + "?after=0").then(function (data) {
        data.messages.forEach(function (m) { state.seq = Math.max(state.seq, m.seq); });
      });
    }).catch(function (error) {
      waiting.remove();
      showError(error);
    }).then(function () { state.busy = false; });
  });

  (document.body || document.documentElement).appendChild(host);
})();
