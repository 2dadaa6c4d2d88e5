/** Base of the errors reading a cloud assembly raises: the message says what is missing and how to fix it. */
export class AssemblyError extends Error {
  override readonly name: string = 'AssemblyError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export class AssemblyNotFoundError extends AssemblyError {
  override readonly name = 'AssemblyNotFoundError';
  constructor(readonly assemblyDir: string) {
    super(
      `No cloud assembly at '${assemblyDir}' (manifest.json missing): run 'npx cdk synth' first or pass the directory that holds manifest.json (--assembly).`,
    );
  }
}

export class StackNotFoundError extends AssemblyError {
  override readonly name = 'StackNotFoundError';
  constructor(
    readonly stackName: string,
    readonly available: readonly string[],
  ) {
    super(
      `Stack '${stackName}' is not in the cloud assembly; stacks found: ${available.length ? available.join(', ') : '(none)'}. Pass one of them (--stack).`,
    );
  }
}
