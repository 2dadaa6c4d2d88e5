/** One line of an NDJSON input: its text, or undefined when it is longer than the line limit. */
export interface InputLine {
  /** 1-based line number. */
  readonly line: number;
  /** Without its line ending (LF or CRLF), and without the UTF-8 BOM on line 1. */
  readonly text: string | undefined;
  /** Bytes of the line as read (its LF excluded). */
  readonly bytes: number;
}

const LF = 0x0a;
const BOM = '\uFEFF';

/**
 * Splits a byte stream into lines without holding more than one line (up to `maxLineBytes`) in memory:
 * a longer line is counted and skipped, not decoded. LF never occurs inside a UTF-8 sequence, so lines
 * are split on bytes and decoded whole.
 */
export async function* inputLines(
  chunks: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  maxLineBytes: number,
): AsyncGenerator<InputLine> {
  let pieces: Buffer[] = [];
  let bytes = 0;
  let line = 0;
  const take = (piece: Buffer) => {
    bytes += piece.length;
    if (bytes > maxLineBytes) pieces = [];
    else if (piece.length > 0) pieces.push(piece);
  };
  const finish = (): InputLine => {
    line++;
    let text: string | undefined;
    if (bytes <= maxLineBytes) {
      text = Buffer.concat(pieces).toString('utf8');
      if (text.endsWith('\r')) text = text.slice(0, -1);
      if (line === 1 && text.startsWith(BOM)) text = text.slice(BOM.length);
    }
    const done = { line, text, bytes };
    pieces = [];
    bytes = 0;
    return done;
  };
  let pendingEnd = false;
  for await (const chunk of chunks) {
    const buffer =
      typeof chunk === 'string'
        ? Buffer.from(chunk, 'utf8')
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    for (let end = buffer.indexOf(LF, start); end >= 0; end = buffer.indexOf(LF, start)) {
      take(buffer.subarray(start, end));
      yield finish();
      start = end + 1;
    }
    take(buffer.subarray(start));
    pendingEnd = bytes > 0;
  }
  if (pendingEnd) yield finish();
}
