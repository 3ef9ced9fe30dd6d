#!/usr/bin/python3
"""Renders Betti's demo library (resources/demo/): five short clips composed here as MIDI, played
with FluidSynth and the Fluid R3 General MIDI SoundFont, encoded as small mono Ogg Vorbis files
and tagged "Betti demo". Reproducible: run it again and the clips come out the same music.

    /usr/bin/python3 scripts/make-demo-library.py [--out resources/demo]

Needs the Debian packages fluidsynth, fluid-soundfont-gm and ffmpeg. The compositions are CC0;
resources/demo/LICENSE.md records the SoundFont's licence (MIT) and package version.
"""
import argparse
import os
import shutil
import struct
import subprocess
import sys
import tempfile

SOUNDFONT = '/usr/share/sounds/sf2/FluidR3_GM.sf2'
TICKS = 480  # per quarter note
DRUMS = 9  # General MIDI percussion channel (channel 10, 0-based 9)


def vlq(n):
    """A MIDI variable-length quantity."""
    out = [n & 0x7F]
    n >>= 7
    while n:
        out.append(0x80 | (n & 0x7F))
        n >>= 7
    return bytes(reversed(out))


def midi_file(bpm, events):
    """A type-0 MIDI file from (tick, bytes) events; note-offs sort before note-ons at one tick."""
    track = bytearray()
    tempo = 60_000_000 // bpm
    track += vlq(0) + b'\xff\x51\x03' + tempo.to_bytes(3, 'big')
    now = 0
    for tick, data in sorted(events, key=lambda e: (e[0], e[1][0] & 0xF0 != 0x80)):
        track += vlq(tick - now) + data
        now = tick
    track += vlq(TICKS) + b'\xff\x2f\x00'
    return b'MThd' + struct.pack('>IHHH', 6, 0, 1, TICKS) + b'MTrk' + struct.pack('>I', len(track)) + bytes(track)


def program(channel, number):
    return (0, bytes([0xC0 | channel, number]))


def note(channel, pitch, start_beats, length_beats, velocity=90):
    on = int(start_beats * TICKS)
    off = int((start_beats + length_beats) * TICKS)
    return [(on, bytes([0x90 | channel, pitch, velocity])), (off, bytes([0x80 | channel, pitch, 0]))]


def chord(channel, pitches, start, length, velocity=80):
    return [e for p in pitches for e in note(channel, p, start, length, velocity)]


# Each piece: (file stem, title, bpm, events, extra tags). Pitches are MIDI numbers (60 = middle C).
def piano_waltz():
    ev = [program(0, 0)]
    melody = [76, 74, 72, 74, 76, 76, 76, 74, 74, 74, 76, 79, 79, 76, 74, 72, 74, 76, 76, 76, 76, 74, 74, 76, 74, 72]
    for i, p in enumerate(melody):
        ev += note(0, p, i * 0.5, 0.5, 85)
    for bar, root in enumerate([48, 43, 45, 41, 48, 43, 41]):
        ev += note(0, root, bar * 2, 2, 70)
        ev += chord(0, [root + 12, root + 16, root + 19], bar * 2 + 1, 1, 55)
    return ev


def string_pads():
    ev = [program(0, 48), program(1, 48)]
    progression = [[57, 60, 64], [53, 57, 60], [48, 52, 55], [55, 59, 62]]
    for i, triad in enumerate(progression):
        ev += chord(0, triad, i * 4, 4, 75)
        ev += note(1, triad[0] - 12, i * 4, 4, 70)
    return ev


def drum_groove():
    ev = []
    kick, snare, hat, open_hat = 36, 38, 42, 46
    for bar in range(4):
        b = bar * 4
        for step in range(8):
            ev += note(DRUMS, open_hat if step == 7 else hat, b + step * 0.5, 0.25, 70 if step % 2 else 95)
        ev += note(DRUMS, kick, b, 0.25, 110) + note(DRUMS, kick, b + 2.5, 0.25, 100)
        ev += note(DRUMS, snare, b + 1, 0.25, 105) + note(DRUMS, snare, b + 3, 0.25, 105)
    return ev


def trumpet_call():
    ev = [program(0, 56)]
    line = [(67, 0.5), (72, 0.5), (76, 1), (74, 0.5), (72, 0.5), (79, 1.5), (76, 0.5), (77, 0.5), (76, 0.5), (74, 0.5), (72, 0.5), (74, 1), (67, 1), (72, 2)]
    t = 0.0
    for pitch, length in line:
        ev += note(0, pitch, t, length * 0.9, 95)
        t += length
    return ev


def organ_loop():
    ev = [program(0, 19), program(1, 19)]
    loop = [[60, 64, 67, 71], [57, 60, 64, 67], [62, 65, 69, 72], [55, 59, 62, 65]]
    for i, c in enumerate(loop * 2):
        ev += chord(0, c, i * 2, 2, 75)
        ev += note(1, c[0] - 24, i * 2, 2, 80)
    return ev


PIECES = [
    ('01-piano-waltz', 'Piano Waltz', 132, piano_waltz, {'genre': 'Classical'}),
    ('02-string-pads', 'String Pads', 80, string_pads, {}),
    ('03-drum-groove', 'Drum Groove', 112, drum_groove, {}),
    ('04-trumpet-call', 'Trumpet Call', 100, trumpet_call, {}),
    ('05-organ-loop', 'Organ Loop', 120, organ_loop, {}),
]


def run(cmd):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        sys.exit(f'make-demo-library: {cmd[0]} failed:\n{r.stderr[-2000:]}')


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--out', default=os.path.join(os.path.dirname(__file__), '..', 'resources', 'demo'))
    args = ap.parse_args()
    for tool in ('fluidsynth', 'ffmpeg'):
        if not shutil.which(tool):
            sys.exit(f'make-demo-library: {tool} is missing; install the Debian package {tool}')
    if not os.path.exists(SOUNDFONT):
        sys.exit(f'make-demo-library: {SOUNDFONT} is missing; install the Debian package fluid-soundfont-gm')
    os.makedirs(args.out, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for stem, title, bpm, compose, extra in PIECES:
            mid = os.path.join(tmp, stem + '.mid')
            wav = os.path.join(tmp, stem + '.wav')
            with open(mid, 'wb') as f:
                f.write(midi_file(bpm, compose()))
            run(['fluidsynth', '-ni', '-q', '-g', '0.8', '-r', '22050', '-F', wav, SOUNDFONT, mid])
            target = os.path.join(args.out, stem + '.ogg')
            tags = {'title': title, 'artist': 'Betti demo', 'album': 'Betti demo library', **extra}
            meta = [a for k, v in tags.items() for a in ('-metadata', f'{k}={v}')]
            # Mono, 22.05 kHz, Vorbis quality 0 (~45 kb/s), cut to 7 s with a short fade-out.
            run(['ffmpeg', '-v', 'error', '-y', '-i', wav, '-t', '7', '-af', 'afade=t=out:st=6.4:d=0.6', '-ac', '1', '-ar', '22050',
                 '-c:a', 'libvorbis', '-q:a', '0', '-map_metadata', '-1', '-fflags', '+bitexact', *meta, target])
            print(f'{target}: {os.path.getsize(target)} bytes')


if __name__ == '__main__':
    main()
