/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _DT_BINDINGS_ACME_CLOCK_H
#define _DT_BINDINGS_ACME_CLOCK_H

#define ACME_CLK_UART		3
#define ACME_CLK_I2C(n)		(8 + (n))
#define ACME_IRQ(type, nr)	type nr
#define ACME_PIN(port, line)	(((port) - 'A') * 32 + (line))
#define ACME_NAME(x)		#x
#define ACME_CAT(a, b)		a ## b
#define ACME_BUS		ACME_CLK_I2C

#endif
