import { digitAt, loadMnist } from '@inkwell/ml-data';
import { describe, expect, it } from 'vitest';
import { isLightOnDark } from './polarity';
import { mulberry32 } from './fixtures/prng';
import { canvas, stroke } from './testing/draw';

describe('isLightOnDark', () => {
  it('recognises MNIST (white on black) and its inverse, for the first 2000 test digits', () => {
    const test = loadMnist('test');
    let wrong = 0;
    for (let i = 0; i < 2000; i++) {
      const d = digitAt(test, i);
      if (!isLightOnDark({ data: d, width: 28, height: 28 })) wrong++;
      if (isLightOnDark({ data: d.map((v) => 255 - v), width: 28, height: 28 })) wrong++;
    }
    expect(wrong).toBe(0);
  });

  it('is not fooled by a lighting gradient that leaves most of the page darker than mid-grey', () => {
    const img = canvas(400, 300, 0);
    for (let y = 0; y < 300; y++) for (let x = 0; x < 400; x++) img.data[y * 400 + x] = Math.round(90 + (x / 400) * 160); // 90..250
    stroke(img, 300, 100, 300, 200, 6, 20); // dark ink on the bright side
    stroke(img, 60, 100, 90, 200, 6, 10); // and on the dark side
    expect(isLightOnDark(img)).toBe(false);
    img.data.forEach((v, i) => (img.data[i] = 255 - v));
    expect(isLightOnDark(img)).toBe(true);
  });

  it('leaves a blank, grainy page as dark-on-light (a weak vote is not a reason to invert)', () => {
    const rng = mulberry32(3);
    for (let trial = 0; trial < 20; trial++) {
      const img = canvas(120, 90, 0);
      const tilt = rng() * 0.4;
      img.data.forEach((_, i) => (img.data[i] = Math.round(225 - 60 * tilt * ((i % 120) / 120) + (rng() - 0.5) * 16)));
      expect(isLightOnDark(img)).toBe(false);
    }
  });
});
