// The console's playground: streams each answer from /console/playground/stream (the same
// form, the session's CSRF token in it) and writes the text as it arrives. Without this
// script the form posts and the page shows whole answers.
"use strict";

(function () {
  const form = document.getElementById("playground");
  const answers = document.getElementById("answers");
  if (!form || !answers || !window.fetch || !window.TextDecoder) {
    return;
  }

  function card(title) {
    const section = document.createElement("section");
    section.className = "card answer";
    const heading = document.createElement("h2");
    heading.textContent = title;
    const reply = document.createElement("p");
    reply.className = "reply";
    const note = document.createElement("p");
    note.className = "note";
    note.textContent = "streaming...";
    section.append(heading, reply, note);
    answers.append(section);
    return { reply: reply, note: note };
  }

  function shown(data) {
    let text = data.prompt_tokens + " prompt + " + data.completion_tokens +
      " completion tokens · " + data.latency_ms + " ms";
    if (data.filters && data.filters.length) {
      text += " · safety: " + data.filters.join(", ");
    }
    return text;
  }

  async function streamOne(deployment, boxes) {
    const body = new FormData(form);
    body.set("deployment", deployment);
    body.set("compare", "");
    const response = await fetch("/console/playground/stream", {
      method: "POST", body: body, credentials: "same-origin",
    });
    if (!response.ok || !response.body) {
      let message = "HTTP " + response.status;
      try { message = (await response.json()).error || message; } catch (e) { /* not JSON */ }
      boxes.note.textContent = message;
      boxes.note.setAttribute("role", "alert");
      return;
    }
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) { break; }
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const name = (frame.match(/^event: (.*)$/m) || [])[1];
        const raw = (frame.match(/^data: (.*)$/m) || [])[1];
        if (!name || raw === undefined) { continue; }
        const data = JSON.parse(raw);
        if (name === "delta") {
          boxes.reply.textContent += data.text;
        } else if (name === "done") {
          boxes.note.textContent = shown(data);
          (data.tool_calls || []).forEach(function (call) {
            const line = document.createElement("p");
            line.className = "tool-call";
            const code = document.createElement("code");
            code.textContent = call;
            line.append("Tool call: ", code);
            boxes.note.before(line);
          });
        } else if (name === "error") {
          boxes.note.textContent = data.message;
          boxes.note.setAttribute("role", "alert");
        }
      }
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    answers.textContent = "";
    const chosen = [form.elements.deployment.value, form.elements.compare.value]
      .filter(function (name, index, all) { return name && all.indexOf(name) === index; });
    chosen.forEach(function (name) { streamOne(name, card(name)); });
  });
})();
