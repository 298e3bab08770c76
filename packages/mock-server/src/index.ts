/**
 * `@d3soar/mock-server`: a stateful stand-in for D3 SOAR's Command API (SetEventTechniques,
 * SaveArtifactForIncident, TriggerIncidentExternalAction) with fault injection, for tests and demos.
 *
 * @packageDocumentation
 */
export { createMockD3, mockDefaults } from './create-mock.js';
export { defaultSeed, defaultSites } from './default-seed.js';
export { checkFault, checkFaultRule, parseFaultRules } from './faults.js';
export { attackGuid } from './guid.js';
export { vendorMessages } from './responses.js';
export { checkSeed } from './state.js';
export {
  commandNames,
  externalActionTrigger,
  faultStatuses,
  type ApiKeyGrant,
  type CommandName,
  type Fault,
  type FaultRule,
  type FaultSchedule,
  type FaultStatus,
  type ListenOptions,
  type MockArtifact,
  type MockD3,
  type MockD3Options,
  type MockEvent,
  type MockIncident,
  type MockPlaybook,
  type MockPlaybookRun,
  type MockState,
  type MockTechniquePair,
  type SeedArtifact,
  type SeedData,
} from './types.js';
