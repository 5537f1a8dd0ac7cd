import { expect } from 'chai';
import { emulatorCommand, sdkRoots } from '../../local/emulators';

describe('emulator discovery', () => {
  it('looks in the configured SDK folder first', () => {
    expect(sdkRoots({ AIPROD_GCLOUD_SDK_ROOT: '/custom/sdk', PATH: '/nonexistent' }).next().value).to.equal('/custom/sdk');
  });

  it('finds the emulators in the Cloud SDK and starts Java directly', () => {
    const command = emulatorCommand('firestore', 8123);
    expect(command[0]).to.equal('java');
    expect(command).to.include('--port=8123');
    expect(emulatorCommand('pubsub', 8124).join(' ')).to.match(/-jar .*cloud-pubsub-emulator-.*\.jar --host=127\.0\.0\.1 --port=8124/);
  });

  it('fails with an install hint when no SDK has the emulators', () => {
    expect(() => emulatorCommand('pubsub', 1, ['/nonexistent'])).to.throw(/pubsub emulator was not found.*google-cloud-cli-pubsub-emulator/);
  });
});
