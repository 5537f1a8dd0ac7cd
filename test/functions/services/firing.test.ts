import { expect } from 'chai';
import { firingOf } from '../../../functions/services/firing';

const everyFiveMinutes = { cron: '*/5 * * * *', timeZone: 'Etc/UTC' };

describe('firings of a schedule', () => {
  it('names the firing after the latest scheduled time at or before the publish time', () => {
    const firing = firingOf('stuck-jobs', everyFiveMinutes, {}, new Date('2026-12-01T12:17:30.250Z'));
    expect(firing.scheduledAt.toISOString()).to.equal('2026-12-01T12:15:00.000Z');
    expect(firing.key).to.equal('stuck-jobs@2026-12-01T12:15:00.000Z');
  });

  it('gives every delivery of one firing the same key, even when published late', () => {
    const keys = ['2026-12-01T12:15:00.000Z', '2026-12-01T12:15:00.900Z', '2026-12-01T12:19:59.000Z'].map(
      (publishTime) => firingOf('stuck-jobs', everyFiveMinutes, {}, new Date(publishTime)).key,
    );
    expect(new Set(keys).size).to.equal(1);
  });

  it('counts a publish a little before the scheduled time (clock skew) as that firing', () => {
    const firing = firingOf('stuck-jobs', everyFiveMinutes, {}, new Date('2026-12-01T12:14:59.600Z'));
    expect(firing.scheduledAt.toISOString()).to.equal('2026-12-01T12:15:00.000Z');
  });

  it('reads the cron in its time zone', () => {
    const firing = firingOf('stuck-jobs', { cron: '30 2 * * *', timeZone: 'Europe/Paris' }, {}, new Date('2026-12-01T12:00:00Z'));
    expect(firing.scheduledAt.toISOString()).to.equal('2026-12-01T01:30:00.000Z');
  });

  it('takes the scheduled time the message states over its publish time', () => {
    const firing = firingOf('stuck-jobs', everyFiveMinutes, { scheduledAt: '2026-12-01T12:10:00.000Z' }, new Date('2026-12-01T12:17:30Z'));
    expect(firing.key).to.equal('stuck-jobs@2026-12-01T12:10:00.000Z');
  });
});
