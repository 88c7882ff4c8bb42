import { describe, expect, it } from "vitest";
import { renderMarkdown } from "./markdown";

/** Parses rendered HTML the way the page does, to look at elements and attributes rather than at text. */
function dom(html: string): HTMLElement {
  const div = document.createElement("div");
  div.innerHTML = html;
  return div;
}

const PAYLOADS = [
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  "<svg onload=alert(1)></svg>",
  '<iframe src="https://evil.example"></iframe>',
  '<a href="javascript:alert(1)">click</a>',
  "[click](javascript:alert(1))",
  "[click](JaVaScRiPt:alert(1))",
  "[click](&#106;avascript:alert(1))",
  "[click](java\u0000script:alert(1))",
  "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
  "[click](vbscript:msgbox(1))",
  "<javascript:alert(1)>",
  '[click](https://ok.example "title" onmouseover=alert(1))',
  '<div style="background:url(javascript:alert(1))">x</div>',
  "![x](https://tracker.example/pixel.png)",
  '<form action="https://evil.example"><button>Vote</button></form>',
  '<input type="text" value="x" onfocus="alert(1)" autofocus>',
  "```\n</code><script>alert(1)</script>\n```",
  "<details open ontoggle=alert(1)>",
  "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
];

describe("renderMarkdown", () => {
  it("renders the usual Markdown: headings, emphasis, lists, code, quotes, tables, links", () => {
    const root = dom(
      renderMarkdown(
        "## Why\n\nLower the fee to **2.5%**, *now*.\n\n- one\n- two\n\n1. first\n\n> quoted\n\n`inline` and\n\n```\nblock\n```\n\n" +
          "| a | b |\n|---|---|\n| 1 | 2 |\n\n[Forum](https://forum.example/t/1) and https://auto.example",
      ),
    );
    expect(root.querySelector("h2")?.textContent).toBe("Why");
    expect(root.querySelector("strong")?.textContent).toBe("2.5%");
    expect(root.querySelector("em")?.textContent).toBe("now");
    expect(root.querySelectorAll("ul li")).toHaveLength(2);
    expect(root.querySelector("ol li")?.textContent).toBe("first");
    expect(root.querySelector("blockquote")?.textContent?.trim()).toBe("quoted");
    expect(root.querySelector("pre code")?.textContent).toBe("block\n");
    expect(root.querySelector("td")?.textContent).toBe("1");
    const link = root.querySelector('a[href="https://forum.example/t/1"]');
    expect(link?.getAttribute("rel")).toBe("noopener noreferrer nofollow");
    expect(link?.getAttribute("target")).toBe("_blank");
    expect(root.querySelector('a[href="https://auto.example"]')).not.toBeNull();
  });

  it.each(PAYLOADS)("neutralises %s", (payload) => {
    const root = dom(renderMarkdown(`Before\n\n${payload}\n\nAfter`));
    for (const tag of ["script", "img", "svg", "iframe", "style", "form", "button", "div", "details", "math"]) {
      expect(root.querySelector(tag), tag).toBeNull();
    }
    for (const el of root.querySelectorAll("*")) {
      for (const attr of el.getAttributeNames()) {
        expect(attr.startsWith("on"), `${el.tagName} ${attr}`).toBe(false);
        expect(["href", "title", "type", "checked", "disabled", "target", "rel", "align"]).toContain(attr);
      }
      if (el.tagName === "INPUT") expect(el.getAttribute("type")).toBe("checkbox");
    }
    for (const a of root.querySelectorAll("a[href]")) {
      expect(a.getAttribute("href")).toMatch(/^(https?:|mailto:|ipfs:|#)/i);
    }
    expect(root.textContent).toContain("After");
  });

  it("shows raw HTML as text and an image as its address, fetching nothing", () => {
    expect(dom(renderMarkdown("<b>bold?</b>")).textContent?.trim()).toBe("<b>bold?</b>");
    const root = dom(renderMarkdown("![chart](https://tracker.example/p.png)"));
    expect(root.querySelector("img")).toBeNull();
    expect(root.textContent?.trim()).toBe("chart (https://tracker.example/p.png)");
  });
});
