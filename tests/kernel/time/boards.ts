/**
 * The SoC timer scenarios of `golden/time/<board>.txt`: each board booted on Debian 6.12, seed 0,
 * then these files read. board-timers.test.ts checks their transcripts; the sessions' replay test
 * records each through the API.
 */
export const TIME_BOARDS = ['mt8183-pumpkin', 'pixel6-oriole']

const CLOCKSOURCE0 = '/sys/devices/system/clocksource/clocksource0'

export const TIME_FILES = [
  `${CLOCKSOURCE0}/current_clocksource`,
  `${CLOCKSOURCE0}/available_clocksource`,
  '/proc/timer_list',
]
