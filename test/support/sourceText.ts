/**
 * The comments and the string/template texts of JavaScript or TypeScript source, for checks that read what the code
 * says rather than what it does (see test/unit/docs-citations.test.ts).
 *
 * A small lexer, not a parser: it knows strings, template literals with nested `${…}`, comments, and regular-expression
 * literals, which it tells from a division by the token before the slash. Parsing every file with TypeScript gives the
 * same pieces for this repository but takes seconds; this takes well under one.
 */
export interface TextPiece {
  kind: 'comment' | 'string';
  /** The piece as written, delimiters included (`// …`, `/* … *\/`, `'…'`, `` `…${ ``). */
  text: string;
  /** Offset of its first character in the source. */
  start: number;
}

/** After these words a `/` starts a regular expression, after any other word or a number it divides. */
const REGEX_AFTER_WORD = new Set([
  'return',
  'typeof',
  'instanceof',
  'in',
  'of',
  'new',
  'delete',
  'void',
  'throw',
  'case',
  'do',
  'else',
  'yield',
  'await',
  'extends',
]);

function isWordChar(c: string): boolean {
  const k = c.charCodeAt(0);
  return (k >= 97 && k <= 122) || (k >= 65 && k <= 90) || (k >= 48 && k <= 57) || k === 95 || k === 36 || k > 127;
}
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isSpace = (c: string): boolean =>
  c === ' ' ||
  c === '\n' ||
  c === '\t' ||
  c === '\r' ||
  c === '\f' ||
  c === '\v' ||
  c === '\ufeff' ||
  c === '\u00a0' ||
  c === '\u2028' ||
  c === '\u2029';

export function textPieces(src: string): TextPiece[] {
  const out: TextPiece[] = [];
  const n = src.length;
  let i = src.startsWith('#!') ? Math.max(0, src.indexOf('\n')) : 0;
  /** Brace depth inside each open `${`, innermost last. */
  const templates: number[] = [];
  /** The last significant token: `word:<w>`, `num`, `str` (a literal), or the punctuation character. */
  let last = '(';

  /** Scans template text from `from` (just after `` ` `` or after the `}` of an expression); returns where code resumes. */
  const templateText = (from: number): number => {
    for (let j = from; j < n; j++) {
      const c = src[j]!;
      if (c === '\\') {
        j++;
        continue;
      }
      if (c === '`') {
        out.push({ kind: 'string', text: src.slice(from - 1, j + 1), start: from - 1 });
        last = 'str';
        return j + 1;
      }
      if (c === '$' && src[j + 1] === '{') {
        out.push({ kind: 'string', text: src.slice(from - 1, j + 2), start: from - 1 });
        templates.push(0);
        last = '(';
        return j + 2;
      }
    }
    out.push({ kind: 'string', text: src.slice(from - 1), start: from - 1 });
    return n;
  };

  while (i < n) {
    const c = src[i]!;
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '/') {
      let e = src.indexOf('\n', i);
      if (e < 0) e = n;
      out.push({ kind: 'comment', text: src.slice(i, e), start: i });
      i = e;
      continue;
    }
    if (c === '/' && src[i + 1] === '*') {
      let e = src.indexOf('*/', i + 2);
      e = e < 0 ? n : e + 2;
      out.push({ kind: 'comment', text: src.slice(i, e), start: i });
      i = e;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < n && src[j] !== c && src[j] !== '\n') j += src[j] === '\\' ? 2 : 1;
      out.push({ kind: 'string', text: src.slice(i, j + 1), start: i });
      i = j + 1;
      last = 'str';
      continue;
    }
    if (c === '`') {
      i = templateText(i + 1);
      continue;
    }
    if (c === '{') {
      if (templates.length) templates[templates.length - 1]!++;
      i++;
      last = '{';
      continue;
    }
    if (c === '}') {
      if (templates.length && templates[templates.length - 1] === 0) {
        templates.pop();
        i = templateText(i + 1);
        continue;
      }
      if (templates.length) templates[templates.length - 1]!--;
      i++;
      last = '}';
      continue;
    }
    if (c === '/') {
      const regex =
        last === 'str' || last === 'num' || last === ')' || last === ']'
          ? false
          : last.startsWith('word:')
            ? REGEX_AFTER_WORD.has(last.slice(5))
            : true;
      if (!regex) {
        i++;
        last = '/';
        continue;
      }
      let j = i + 1;
      let inClass = false;
      for (; j < n && src[j] !== '\n'; j++) {
        const d = src[j]!;
        if (d === '\\') {
          j++;
          continue;
        }
        if (d === '[') inClass = true;
        else if (d === ']') inClass = false;
        else if (d === '/' && !inClass) break;
      }
      j++;
      while (j < n && isWordChar(src[j]!)) j++;
      i = j;
      last = 'str';
      continue;
    }
    if (isDigit(c) || (c === '.' && isDigit(src[i + 1]))) {
      let j = i + 1;
      while (j < n && (isWordChar(src[j]!) || src[j] === '.')) j++;
      i = j;
      last = 'num';
      continue;
    }
    if (isWordChar(c)) {
      let j = i + 1;
      while (j < n && isWordChar(src[j]!)) j++;
      last = `word:${src.slice(i, j)}`;
      i = j;
      continue;
    }
    last = c;
    i++;
  }
  return out;
}
