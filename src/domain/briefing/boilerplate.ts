/**
 * What a briefing copied from a web page brings with it and is not the briefing: skip links,
 * cookie banners, menus, breadcrumbs, pictures' alternative text, share and print links and the
 * site's footer. Kept in one place and documented (docs/briefing-import.md). A line is removed
 * only when all of it is boilerplate, so a sentence that mentions "cookies" stays.
 */

/** Lines that are boilerplate wherever they stand. */
export const BOILERPLATE_LINES: readonly RegExp[] = [
  /^skip to (?:the )?(?:main )?(?:content|navigation|footer)$/i,
  /^jump to (?:main )?content$/i,
  /^(?:main )?menu$/i,
  /^(?:open|close|toggle) (?:menu|navigation|search)$/i,
  /^(?:search|search this site|search the site|search this website|submit search)$/i,
  /^you are here:?.*$/i,
  // Breadcrumbs: "Home > Professionals > …", "Home / Learning / …", "Home » …"
  /^home\s*(?:>|\/|»|›|→)\s*.+$/i,
  /^cookies? on .{1,200}$/i,
  /^.{0,200}\b(?:we|this (?:site|website)|our (?:site|website)) uses? (?:some )?(?:essential |necessary |analytics |optional )?cookies\b.{0,300}$/i,
  /^cookies?(?: policy| settings| preferences| notice)?$/i,
  /^(?:accept|reject|allow|hide|change)(?: all| additional| analytics| optional)? cookies?(?: settings)?$/i,
  /^(?:image|picture|photo|photograph|graphic|logo|icon|illustration)\s*[:-]\s*.+$/i,
  /^\[(?:image|picture|photo|graphic|logo|icon)[^\]]*\]$/i,
  /^!\[[^\]]*\]\([^)]*\)$/,
  /^(?:print|print this page|print page|share|share this page|share this|email this page)$/i,
  /^share (?:on|via) (?:facebook|twitter|x|linkedin|whatsapp|email)$/i,
  /^(?:facebook|twitter|x|linkedin|youtube|instagram)$/i,
  /^back to (?:the )?top$/i,
  /^(?:was this page (?:helpful|useful)\??|is this page useful\??|report a problem with this page)$/i,
  /^(?:yes|no|yes this page is useful|no this page is not useful)$/i,
  /^opens in (?:a )?new (?:window|tab)$/i,
  /^download(?: this)?(?: briefing| document| file)?(?: as)? ?\((?:pdf|word|docx?)[^)]*\)$/i,
];

/** Lines from which the rest of a page is the site's footer, when only short lines follow. */
export const FOOTER_STARTS: readonly RegExp[] = [
  /^(?:print|print this page|share|share this page|back to (?:the )?top)$/i,
  /^(?:was this page (?:helpful|useful)\??|is this page useful\??)$/i,
  /^(?:accessibility(?: statement)?|privacy(?: notice| policy)?|terms and conditions|sitemap|site map)$/i,
  /^(?:©|\(c\)|copyright\b).*$/i,
];

/** The site's menu: words of navigation standing alone, in a run at the top of the page. */
const MENU_WORDS =
  /^(?:home|about(?: us)?|news|events|contact(?: us)?|professionals|practitioners|parents(?: and carers)?|carers|children(?: and young people)?|young people|training|resources|publications|policies(?: and procedures)?|procedures|learning|learning from reviews|reviews|partners|partnership|report a concern|worried about a child|get help|help|login|log in|sign in|a-z|a to z|accessibility|translate|jobs|the board|who we are|what we do)$/i;

export interface Cleaned {
  lines: string[];
  /** The lines taken out, as they were. */
  removed: string[];
}

const words = (line: string) => line.trim().split(/\s+/).filter(Boolean).length;

/** Removes the page's boilerplate; the briefing's own lines are kept exactly as they were. */
export function removeBoilerplate(rawLines: readonly string[]): Cleaned {
  const keep = rawLines.map((line) => {
    const text = line.trim();
    if (text === '' || text.length > 400) return true;
    return !BOILERPLATE_LINES.some((p) => p.test(text));
  });

  // A menu: three or more navigation words in a row (with nothing else between them but blank
  // lines) before the briefing starts, within the first forty lines.
  const nonBlank = rawLines.map((l, i) => ({ l: l.trim(), i })).filter((x) => x.l !== '');
  for (let k = 0; k < nonBlank.length && nonBlank[k]!.i < 40;) {
    let end = k;
    while (end < nonBlank.length && keep[nonBlank[end]!.i] !== false && MENU_WORDS.test(nonBlank[end]!.l))
      end++;
    // Lines already removed (a "Search" inside the menu) do not break the run.
    while (end < nonBlank.length && keep[nonBlank[end]!.i] === false) end++;
    const run = nonBlank.slice(k, end).filter((x) => keep[x.i] !== false);
    if (run.length >= 3) for (const x of run) keep[x.i] = false;
    k = Math.max(end, k + 1);
  }

  // The footer: from a footer line on, when every line after it is short (a site's links).
  for (let k = 0; k < nonBlank.length; k++) {
    const { l } = nonBlank[k]!;
    if (!FOOTER_STARTS.some((p) => p.test(l))) continue;
    const rest = nonBlank.slice(k);
    if (rest.length <= 25 && rest.every((x) => words(x.l) <= 8)) {
      for (const x of rest) keep[x.i] = false;
      break;
    }
  }
  return {
    lines: rawLines.filter((_, i) => keep[i] !== false),
    removed: rawLines.filter((_, i) => keep[i] === false).map((l) => l.trim()),
  };
}
