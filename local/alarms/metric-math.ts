import { UnsupportedExpressionError } from '../errors.ts';

/**
 * Arithmetic metric-math expressions (`m1 / m2 * 60`, `(m1 + m2) / 2`): identifiers, numbers,
 * + - * / and parentheses. Anything else (functions such as RATE or FILL) is not evaluated locally.
 */

const TOKEN = /\s*(?:(\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|([-+*/()]))/y;

function tokenize(expression: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < expression.length) {
    if (/^\s*$/.test(expression.slice(TOKEN.lastIndex))) break;
    const match = TOKEN.exec(expression);
    if (!match) throw new UnsupportedExpressionError(`'${expression}' is not plain arithmetic`);
    tokens.push(match[1] ?? match[2] ?? match[3]!);
  }
  return tokens;
}

/** Evaluates an expression; undefined when a referenced value is missing (or a division by zero). */
export function evaluateExpression(
  expression: string,
  values: Readonly<Record<string, number | undefined>>,
): number | undefined {
  const tokens = tokenize(expression);
  let i = 0;
  const peek = () => tokens[i];
  const primary = (): number | undefined => {
    const token = tokens[i++];
    if (token === undefined) throw new UnsupportedExpressionError(`'${expression}' ends early`);
    if (token === '(') {
      const value = sum();
      if (tokens[i++] !== ')') throw new UnsupportedExpressionError(`'${expression}' has unbalanced parentheses`);
      return value;
    }
    if (token === '-') {
      const value = primary();
      return value === undefined ? undefined : -value;
    }
    if (/^\d/.test(token)) return Number(token);
    if (peek() === '(') throw new UnsupportedExpressionError(`function ${token}() in '${expression}'`);
    if (!(token in values)) throw new UnsupportedExpressionError(`unknown id '${token}' in '${expression}'`);
    return values[token];
  };
  const product = (): number | undefined => {
    let value = primary();
    while (peek() === '*' || peek() === '/') {
      const op = tokens[i++];
      const right = primary();
      value =
        value === undefined || right === undefined
          ? undefined
          : op === '*'
            ? value * right
            : right === 0
              ? undefined
              : value / right;
    }
    return value;
  };
  const sum = (): number | undefined => {
    let value = product();
    while (peek() === '+' || peek() === '-') {
      const op = tokens[i++];
      const right = product();
      value = value === undefined || right === undefined ? undefined : op === '+' ? value + right : value - right;
    }
    return value;
  };
  const result = sum();
  if (i !== tokens.length) throw new UnsupportedExpressionError(`unexpected '${tokens[i]}' in '${expression}'`);
  return result;
}
