/**
 * The environment the bench gives its child processes (the PyTorch twins): written out here, nothing
 * inherited, so a setting in the shell that runs the bench (GOMP_SPINCOUNT, OMP_NUM_THREADS, MKL_*, a
 * PYTHONPATH with another torch…) cannot change one side of a comparison without showing up in the code.
 * Threads are passed to the twin as an argument (torch.set_num_threads), not through the environment.
 */
import { homedir } from 'node:os';

export function benchChildEnv(): NodeJS.ProcessEnv {
  return { PATH: '/usr/bin:/bin', HOME: homedir(), LANG: 'C.UTF-8', PYTHONDONTWRITEBYTECODE: '1' };
}
