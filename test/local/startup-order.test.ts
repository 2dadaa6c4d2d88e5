import { describe, expect, it } from 'vitest';
import { Startup } from '../../local/startup.ts';

describe('Startup', () => {
  it('on a throw stops the parts started before it, newest first, even when one of their stops fails', async () => {
    const stopped: string[] = [];
    const startup = new Startup();
    const failing = startup.run(async (s) => {
      await s.start('a', () => ({ value: 1, stop: () => void stopped.push('a') }));
      await s.start('b', () => ({
        value: 2,
        stop: () => {
          stopped.push('b');
          throw new Error('b cannot stop');
        },
      }));
      await s.start('c', async () => ({ value: 3, stop: async () => void stopped.push('c') }));
      await s.start('d', () => {
        throw new Error('d fails to start');
      });
    });
    await expect(failing).rejects.toThrow('d fails to start');
    expect(stopped).toEqual(['c', 'b', 'a']);
    expect(startup.parts).toEqual([]);
  });

  it('stop() ends every part newest first and reports a failed stop after running the rest', async () => {
    const stopped: string[] = [];
    const startup = new Startup();
    await startup.start('a', () => ({ value: 1, stop: () => void stopped.push('a') }));
    await startup.start('b', () => ({
      value: 2,
      stop: () => {
        throw new Error('b cannot stop');
      },
    }));
    await startup.start('c', () => ({ value: 3, stop: () => void stopped.push('c') }));
    await expect(startup.stop()).rejects.toThrow('b cannot stop');
    expect(stopped).toEqual(['c', 'a']);
  });
});
