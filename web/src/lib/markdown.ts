// Proposal descriptions are Markdown written by whoever proposes: anyone with enough votes, so untrusted. Rendered with
// marked (GitHub-flavoured), then sanitised with DOMPurify to an allow-list: raw HTML in the source is shown as text,
// links only to http(s), mailto and ipfs and opened without the opener, no images (a proposal must not make every
// reader's browser fetch from someone's server), no attributes but href and title.
import DOMPurify from "dompurify";
import { Marked } from "marked";

const ALLOWED_TAGS = [
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "p",
  "br",
  "hr",
  "strong",
  "em",
  "del",
  "code",
  "pre",
  "blockquote",
  "ul",
  "ol",
  "li",
  "a",
  "table",
  "thead",
  "tbody",
  "tr",
  "th",
  "td",
  "input",
];

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const marked = new Marked({
  gfm: true,
  async: false,
  renderer: {
    // Raw HTML in a description is shown as the text it is, never interpreted.
    html: ({ text }) => escapeHtml(text),
    // Images become their alt text (and address): nothing is fetched.
    image: ({ text, href }) => escapeHtml(text ? `${text} (${href})` : href),
  },
});

let purifier: ReturnType<typeof DOMPurify> | undefined;
function purify(): ReturnType<typeof DOMPurify> {
  if (purifier) return purifier;
  purifier = DOMPurify(window);
  purifier.addHook("afterSanitizeAttributes", (node) => {
    if (node.tagName === "A") {
      node.setAttribute("target", "_blank");
      node.setAttribute("rel", "noopener noreferrer nofollow");
    }
    // GFM task-list checkboxes stay, read-only.
    if (node.tagName === "INPUT") {
      if (node.getAttribute("type") !== "checkbox") node.remove();
      else node.setAttribute("disabled", "");
    }
  });
  return purifier;
}

/** Markdown → sanitised HTML, safe for `{@html}`. */
export function renderMarkdown(source: string): string {
  const html = marked.parse(source) as string;
  return purify().sanitize(html, {
    ALLOWED_TAGS,
    ALLOWED_ATTR: ["href", "title", "type", "checked", "disabled", "target", "rel", "align"],
    ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|ipfs:|#)/i,
  });
}
