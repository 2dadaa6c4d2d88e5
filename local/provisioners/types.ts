import type { FauxqsServer } from 'fauxqs';
import type { TemplateResource } from '../../assembly/index.ts';
import type { AlarmDefinition } from '../alarms/alarm-definition.ts';
import type { ScaledClock } from '../alarms/clock.ts';
import type { AwsClients } from '../emulators.ts';
import type { EventSourceMappingConfig } from '../esm/poller.ts';
import type { PseudoParameters } from '../intrinsics.ts';
import type { LambdaHost } from '../lambda/host.ts';
import type { ResourceRegistry } from '../registry.ts';

/** Everything a provisioner may use: the emulators, the registry of what exists, and the runtime services. */
export interface DeploymentContext {
  readonly stackName: string;
  readonly assemblyDir: string;
  readonly pseudo: PseudoParameters;
  readonly clients: AwsClients;
  readonly fauxqs: FauxqsServer;
  readonly registry: ResourceRegistry;
  readonly clock: ScaledClock;
  readonly lambdas: LambdaHost;
  /** Filled by the event source mapping provisioner; pollers start once every resource exists. */
  readonly eventSourceMappings: EventSourceMappingConfig[];
  /** Filled by the alarm provisioner; evaluated once every resource exists. */
  readonly alarms: AlarmDefinition[];
  /** Things that run differently from AWS for this stack, printed at start-up. */
  readonly warnings: string[];
}

export interface ProvisionRequest {
  readonly logicalId: string;
  /** Properties with every intrinsic resolved. */
  readonly properties: Record<string, unknown>;
  readonly resource: TemplateResource;
  readonly ctx: DeploymentContext;
}

export interface Provisioned {
  /** What `Ref` returns. */
  readonly physicalId: string;
  /** What `Fn::GetAtt` can read. */
  readonly attributes: Record<string, unknown>;
}

/** Creates one resource type locally (one file per type, registered in provisioners/index.ts). */
export interface Provisioner {
  readonly type: string;
  /** False: accepted but not emulated (listed at start-up as "not enforced locally"). */
  readonly enforced: boolean;
  provision(request: ProvisionRequest): Promise<Provisioned> | Provisioned;
}
