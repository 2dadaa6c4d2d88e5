/** One provisioned resource: what Ref returns and what Fn::GetAtt can read. */
export interface ProvisionedResource {
  readonly logicalId: string;
  readonly type: string;
  /** The value of `Ref` (a queue URL, a topic ARN, a table name, …). */
  readonly physicalId: string;
  readonly attributes: Readonly<Record<string, unknown>>;
  /** The resolved template properties it was created from. */
  readonly properties: Readonly<Record<string, unknown>>;
  /** False for types accepted but not emulated (IAM, KMS, policies…). */
  readonly enforced: boolean;
}

/** The state of the local deployment in one place: logical id → provisioned resource. */
export class ResourceRegistry {
  readonly #byLogicalId = new Map<string, ProvisionedResource>();

  add(resource: ProvisionedResource): void {
    this.#byLogicalId.set(resource.logicalId, resource);
  }

  get(logicalId: string): ProvisionedResource | undefined {
    return this.#byLogicalId.get(logicalId);
  }

  all(): ProvisionedResource[] {
    return [...this.#byLogicalId.values()];
  }

  ofType(type: string): ProvisionedResource[] {
    return this.all().filter((r) => r.type === type);
  }

  /** The resource whose Ref, ARN or name equals `value` (ESM FunctionName and EventSourceArn may be any of them). */
  findByIdentifier(type: string, value: string): ProvisionedResource | undefined {
    return this.ofType(type).find(
      (r) => r.physicalId === value || r.attributes.Arn === value || Object.values(r.attributes).includes(value),
    );
  }
}
