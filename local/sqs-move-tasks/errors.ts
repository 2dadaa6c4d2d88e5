import { LocalCloudError } from '../errors.ts';

/** An SQS API error the move-task front answers with: AWS's error code, HTTP status and wording. */
export class SqsApiError extends LocalCloudError {
  override readonly name: string = 'SqsApiError';
  constructor(
    readonly code: string,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
  }

  /** The JSON-protocol error body (`__type` is what the SDK turns into the error's name). */
  toJSON(): { readonly __type: string; readonly message: string } {
    return { __type: `com.amazonaws.sqs#${this.code}`, message: this.message };
  }
}

export class ResourceNotFoundError extends SqsApiError {
  override readonly name = 'ResourceNotFoundError';
  constructor(message: string) {
    super('ResourceNotFoundException', message);
  }
}

export class InvalidParameterValueError extends SqsApiError {
  override readonly name = 'InvalidParameterValueError';
  constructor(message: string) {
    super('InvalidParameterValue', message);
  }
}

export class MissingParameterError extends SqsApiError {
  override readonly name = 'MissingParameterError';
  constructor(parameter: string) {
    super('MissingParameter', `The request must contain the parameter ${parameter}.`);
  }
}

/** The request body is not the JSON object the action expects. */
export class MalformedRequestError extends SqsApiError {
  override readonly name = 'MalformedRequestError';
  constructor(detail: string) {
    super('SerializationException', `Request body is not valid JSON for this action: ${detail}`);
  }
}
