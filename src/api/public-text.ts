/**
 * What the API may show of an error raised inside the process: its name and its message with
 * local file paths replaced, never a stack. The journal and the log keep the whole error.
 */

// An absolute path (`/home/x/a.js`, `file:///srv/a.js`, `C:\x\a.js`) with an optional
// `:line:column`, standing alone (not the path of a URL such as http://host/a/b).
const PATH =
  /(?<![\w.~:/\\-])(?:file:\/\/)?(?:\/(?:[^\s/'"`()<>,;:]+\/)+[^\s/'"`()<>,;:]*|[A-Za-z]:\\[^\s'"`()<>,;]+)(?::\d+){0,2}/g;

/** Marks where a local path was left out of a message. */
export const PATH_HIDDEN = '<path>';

/** `text` with every absolute local path replaced by `<path>`. */
export function publicText(text: string): string {
  return text.replace(PATH, PATH_HIDDEN);
}

/** An error as a response shows it: name and message (paths hidden), no stack. */
export function publicError(e: { readonly name: string; readonly message: string }): {
  name: string;
  message: string;
} {
  return { name: e.name, message: publicText(e.message) };
}
