import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BettiError, errorKinds } from '../../src-main/api/errors.ts';
import { errorText, headingOf } from '../../src-renderer/ui/error-text.ts';
import { fileName, formatCount, formatDuration, formatPercent, formatTimeLeft, plural } from '../../src-renderer/ui/format.ts';
import { RateEstimator } from '../../src-renderer/ui/rate.ts';

describe('how numbers read', () => {
  it('formats durations, counts and confidences', () => {
    assert.equal(formatDuration(187), '3:07');
    assert.equal(formatDuration(3723), '1:02:03');
    assert.equal(formatDuration(null), '—');
    assert.equal(formatCount(100000), '100,000');
    assert.equal(plural(1, 'track'), '1 track');
    assert.equal(plural(2, 'match', 'matches'), '2 matches');
    assert.equal(formatPercent(0.8234), '82%');
    assert.equal(fileName('C:\\music\\a.flac'), 'a.flac');
  });

  it('says time left in words, and nothing while it is unknown', () => {
    assert.equal(formatTimeLeft(undefined), '');
    assert.equal(formatTimeLeft(4), 'a few seconds left');
    assert.equal(formatTimeLeft(42), '40 s left');
    assert.equal(formatTimeLeft(170), 'about 3 min left');
    assert.equal(formatTimeLeft(3 * 3600 + 600), 'about 3 h 10 min left');
  });

  it('estimates time left from a smoothed rate, and starts over when progress goes back', () => {
    const rate = new RateEstimator();
    assert.equal(rate.update(0, 100, 0), undefined);
    assert.equal(rate.update(10, 100, 1000), 9);
    assert.equal(rate.update(10, 100, 1100), 9, 'reports closer than 250 ms wait for the next sample');
    assert.equal(rate.update(0, 50, 2000), undefined);
  });
});

describe('errors in words', () => {
  it('has a heading for every error kind', () => {
    for (const kind of errorKinds) assert.ok(headingOf(kind).length > 3, kind);
  });

  it('keeps what happened, where, and what to do next', () => {
    const t = errorText(new BettiError('file-changed', '/m/a.flac changed since it was read', { path: '/m/a.flac', hint: 'Scan again.' }));
    assert.deepEqual(t, { title: 'The file changed since Betti read it', message: '/m/a.flac changed since it was read', hint: 'Scan again.', path: '/m/a.flac' });
  });

  it('says Betti cannot be reached when the connection fails', () => {
    assert.equal(errorText(new TypeError('Failed to fetch')).title, 'Cannot reach Betti');
  });
});
