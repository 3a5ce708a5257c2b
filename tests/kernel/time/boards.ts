/**
 * The SoC timer scenarios of `golden/time/<board>.txt`: each board booted on Debian 6.12, seed 0,
 * then these files read. board-timers.test.ts checks their transcripts; the sessions' replay test
 * records each through the API.
 */
export const TIME_BOARDS = ['db845c', 'mt8183-pumpkin', 'pixel6-oriole']

const CLOCKSOURCE0 = '/sys/devices/system/clocksource/clocksource0'

export const TIME_FILES = [
  `${CLOCKSOURCE0}/current_clocksource`,
  `${CLOCKSOURCE0}/available_clocksource`,
  '/sys/devices/system/clockevents/broadcast/current_device',
  '/sys/devices/system/clockevents/clockevent0/current_device',
  '/proc/timer_list',
]
