import type { SchedulePoint } from '../config.js';

/** The schedule point in force at a mini-epoch (the last one whose `from` is not after it). */
export function scheduleAt(schedule: SchedulePoint[], miniEpoch: number): SchedulePoint & { index: number } {
  let index = 0;
  for (let i = 0; i < schedule.length; i++) if (schedule[i].from <= miniEpoch) index = i;
  return { ...schedule[index], index };
}
