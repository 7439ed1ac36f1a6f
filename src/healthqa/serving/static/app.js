// healthqa page: asks /api/ask and shows the answer. Every text goes in through textContent,
// never as HTML, so a question or source holding markup shows as text.
"use strict";

const $ = (id) => document.getElementById(id);

function el(tag, text, attrs) {
  const node = document.createElement(tag);
  if (text) node.textContent = text;
  for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, value);
  return node;
}

function safeUrl(url) {
  return /^https?:\/\//i.test(url || "") ? url : null;
}

// MedQuAD keeps lists inline as " - item"; a single " - " is a dash inside a sentence.
function sentenceNodes(text) {
  const parts = text.split(" - ");
  if (parts.length < 3) return [document.createTextNode(text)];
  const list = el("ul");
  for (const item of parts.slice(1)) list.append(el("li", item.trim()));
  return [document.createTextNode(parts[0].trim()), list];
}

function citeLink(n, citation) {
  const link = el("a", `[${n}]`, {
    href: `#source-${encodeURIComponent(citation.id)}`,
    class: "cite",
    "data-source": citation.id,
    "aria-label": `source ${n}: ${citation.title}`,
  });
  return link;
}

// The emergency notice opens Answer.text when the question describes a possible emergency.
function noticeOf(answer) {
  return answer.emergency ? answer.text.split("\n\n")[0] : "";
}

function showAnswer(answer) {
  const byN = new Map(answer.citations.map((c) => [c.n, c]));
  const notice = noticeOf(answer);
  $("asked").textContent = answer.question;
  $("notice").textContent = notice;
  $("notice").hidden = !notice;
  const reason = answer.abstained ? answer.text.split("\n\n")[notice ? 1 : 0] : "";
  $("abstain").textContent = reason;
  $("abstain").hidden = !answer.abstained;
  // A drug the message names that the answer does not speak of: its line follows the notice.
  const uncovered = (answer.uncovered || []).length ? answer.text.split("\n\n")[notice ? 1 : 0] : "";
  $("uncovered").textContent = uncovered;
  $("uncovered").hidden = !uncovered;
  const sections = $("sections");
  sections.replaceChildren();
  const warnings = new Set(answer.warnings);
  answer.sections.forEach((section, i) => {
    const box = el("section", null, { class: "answer-section", "aria-labelledby": `section-${i}` });
    if (section.sentences.some((s) => warnings.has(s.text))) box.classList.add("section-warning");
    box.append(el("h3", section.title, { id: `section-${i}` }));
    for (const sentence of section.sentences) {
      const p = el("p");
      p.append(...sentenceNodes(sentence.text));
      for (const n of sentence.citations) if (byN.has(n)) p.append(" ", citeLink(n, byN.get(n)));
      box.append(p);
    }
    sections.append(box);
  });
  const list = $("citations");
  list.replaceChildren();
  for (const c of answer.citations) {
    const item = el("li", null, { id: `citation-${c.n}` });
    item.append(el("a", c.title, { href: `#source-${encodeURIComponent(c.id)}`, "data-source": c.id }));
    item.append(`, ${c.source}. `);
    const url = safeUrl(c.url);
    if (url) {
      item.append(el("a", "Original page", {
        href: url, target: "_blank", rel: "noopener noreferrer",
        "aria-label": `original page of ${c.title} (opens a new tab)`,
      }));
    }
    list.append(item);
  }
  $("sources-heading").hidden = answer.citations.length === 0;
  $("source").hidden = true;
  $("answer").hidden = false;
  $("answer-heading").focus();
}

async function getJson(url, options) {
  const response = await fetch(url, options);
  let body = {};
  try {
    body = await response.json();
  } catch (_) {
    body = {};
  }
  if (!response.ok) throw new Error(body.error || `the server answered ${response.status}`);
  return body;
}

async function openSource(id) {
  $("status").textContent = "Opening the source…";
  try {
    const source = await getJson(`/api/sources/${encodeURIComponent(id)}`);
    $("source-heading").textContent = `Source: ${source.title}`;
    $("source-title").textContent = source.question || "";
    $("source-origin").textContent = [source.source, source.date].filter(Boolean).join(", ");
    const url = safeUrl(source.url);
    $("source-url").hidden = !url;
    if (url) {
      $("source-url").href = url;
      $("source-url").textContent = `Open the original page: ${url}`;
    }
    $("source-text").textContent = source.text;
    $("source").hidden = false;
    $("status").textContent = "";
    $("source-heading").focus();
  } catch (error) {
    $("status").textContent = `Could not open the source: ${error.message}`;
  }
}

async function ask(event) {
  event.preventDefault();
  const question = $("question").value.trim();
  if (!question) {
    $("status").textContent = "Please type a question.";
    $("question").focus();
    return;
  }
  const body = { question };
  if (!$("lang-field").hidden) body.lang = $("lang").value;
  $("ask-button").disabled = true;
  $("status").textContent = "Looking in the sources…";
  try {
    const answer = await getJson("/api/ask", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    $("status").textContent = answer.abstained ? "No trustworthy answer found." : "Answer ready.";
    showAnswer(answer);
  } catch (error) {
    $("status").textContent = `Sorry: ${error.message}`;
  } finally {
    $("ask-button").disabled = false;
  }
}

async function showLanguages() {
  try {
    const health = await getJson("/api/health");
    $("lang-field").hidden = !(health.languages || []).includes("es");
  } catch (_) {
    $("lang-field").hidden = true;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("ask-form").addEventListener("submit", ask);
  $("lang").addEventListener("change", () => {
    document.documentElement.lang = $("lang").value;
  });
  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-source]");
    if (link) {
      event.preventDefault();
      openSource(link.dataset.source);
    }
  });
  showLanguages();
});
