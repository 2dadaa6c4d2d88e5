/** Testing an app's handlers on the local cloud, from any test runner. */
export { startTestCloud, type TestCloud, type TestCloudOptions } from './test-cloud.ts';
export { FanoutTestingError, NotSettledError, UnknownTableError } from './errors.ts';
