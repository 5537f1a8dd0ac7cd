import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { locateFfmpeg } from '../../../shared/adapters/ffmpeg/ffmpeg_binaries';
import { FfmpegMediaAnalyzer } from '../../../shared/adapters/ffmpeg/ffmpeg_media_analyzer';
import { FfprobeProber } from '../../../shared/adapters/ffmpeg/ffprobe_prober';
import { DiskBlobStore } from '../../../shared/adapters/local/disk_blob_store';
import { validateBrief } from '../../../shared/domain/brief_validation';
import { JobFailure } from '../../../shared/domain/errors';
import { newJob } from '../../../shared/domain/new_job';
import type { Job } from '../../../shared/schemas/job';
import type { Runtime } from '../../../functions/runtime';
import { checkTechnicalQuality } from '../../../functions/stages/check_technical_quality';
import { makeTestAd, TEST_AD_DURATION_SEC, type TestAdKind } from '../../support/broken_media';
import { shortBrief } from '../../support/fixtures';

describe('technical QA stage on real files', () => {
  let dir: string;
  let runtime: Runtime;
  let ffmpeg: string;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'qa-tech-'));
    const tools = await locateFfmpeg();
    ffmpeg = tools.ffmpeg;
    const parts: Partial<Runtime> = {
      blobs: new DiskBlobStore(path.join(dir, 'blobs')),
      prober: new FfprobeProber(tools.ffprobe),
      analyzer: new FfmpegMediaAnalyzer(tools.ffmpeg),
      scratchDir: path.join(dir, 'scratch'),
      clock: () => new Date(),
    };
    runtime = parts as Runtime;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** A job in QA_TECH whose one 9:16 rendition is a made-to-order file. */
  async function jobWith(kind: TestAdKind, rerenderedBefore = false): Promise<Job> {
    const ad = await makeTestAd(ffmpeg, dir, kind, { width: 1080, height: 1920 });
    const validation = validateBrief(shortBrief({ durationSec: TEST_AD_DURATION_SEC }));
    if (!validation.ok) throw new Error('fixture invalid');
    const job = newJob({ id: `job_${kind.replace(/_/g, '').padEnd(32, '0').slice(0, 32)}`, tenant: 'qa', brief: validation.brief, createdBy: null }, new Date());
    const blobKey = `jobs/${job.id}/renders/e/9x16.mp4`;
    const voiceTrackKey = `jobs/${job.id}/renders/e/9x16-voice.wav`;
    const uri = await runtime.blobs.putFile(blobKey, ad.videoPath, 'video/mp4');
    await runtime.blobs.putFile(voiceTrackKey, ad.voiceTrackPath, 'audio/wav');
    const history = rerenderedBefore ? [{ from: 'QA_TECH' as const, to: 'RENDERING' as const, at: job.createdAt, reason: 'r', eventId: 'e1', causeEventId: 'e0' }] : [];
    return {
      ...job,
      state: 'QA_TECH',
      stateHistory: [...job.stateHistory, ...history],
      renditions: [{ aspectRatio: '9:16', blobKey, uri, voiceTrackKey, posterUri: uri, contactSheetUri: uri, width: 1080, height: 1920, durationSec: TEST_AD_DURATION_SEC, bytes: 1 }],
    };
  }

  async function failureOf(job: Job): Promise<JobFailure> {
    try {
      await checkTechnicalQuality({ job, message: { jobId: job.id, state: 'QA_TECH', eventId: 'e' }, eventId: 'e', runtime });
    } catch (error) {
      if (error instanceof JobFailure) return error;
      throw error;
    }
    throw new Error('technical QA passed');
  }

  it('passes a good file and keeps its analysis for semantic QA', async () => {
    const job = await jobWith('good');
    const outcome = await checkTechnicalQuality({ job, message: { jobId: job.id, state: 'QA_TECH', eventId: 'e' }, eventId: 'e', runtime });
    expect(outcome).to.include({ kind: 'advance', next: 'QA_SEMANTIC' });
  });

  it('fails silent audio with the audibility, loudness and speech reasons, without a re-render', async () => {
    const failure = await failureOf(await jobWith('silent_audio'));
    expect(failure.message).to.contain('audio_audible').and.contain('loudness').and.contain('speech_present');
    expect(failure.findings.qa?.tech?.passed).to.equal(false);
  });

  it('re-renders black video once, then fails it with the black-frames reason', async () => {
    const first = await checkTechnicalQuality({ job: await jobWith('black_video'), message: { jobId: 'j', state: 'QA_TECH', eventId: 'e' }, eventId: 'e', runtime });
    expect(first).to.include({ kind: 'advance', next: 'RENDERING' });
    expect(first.reason).to.contain('black_frames');
    const failure = await failureOf(await jobWith('black_video', true));
    expect(failure.message).to.contain('black_frames');
  });

  it('fails a file of the wrong duration with the duration reason after its re-render', async () => {
    const failure = await failureOf(await jobWith('wrong_duration', true));
    expect(failure.message).to.match(/duration/);
    expect(failure.message).not.to.contain('black_frames');
  });
});
