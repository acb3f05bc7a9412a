/* SPDX-License-Identifier: MIT */
/* Placeholder until its module lands. */
typedef int campo_placeholder_;
