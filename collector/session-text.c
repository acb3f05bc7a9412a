/* SPDX-License-Identifier: MIT */
/* The session's answer checks by type and its generic messages per language.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "session-internal.h"

/*
 * Generic messages, used when the form gives none. Languages the table
 * lacks get English.
 */
struct msg_table {
	const char *lang;
	const char *text[SESSION_M_COUNT_];
};

static const struct msg_table msgs[] = {
	{ "es",
	  {
		  [SESSION_M_REQUIRED] = "Esta pregunta es obligatoria",
		  [SESSION_M_CONSTRAINT] = "La respuesta no es válida",
		  [SESSION_M_INTEGER] = "Escriba un número entero",
		  [SESSION_M_RANGE] = "El número es demasiado grande",
		  [SESSION_M_DECIMAL] = "Escriba un número",
		  [SESSION_M_DATE] = "Escriba una fecha válida (AAAA-MM-DD)",
		  [SESSION_M_DATETIME] =
			  "Escriba una fecha y hora válidas (AAAA-MM-DD HH:MM)",
		  [SESSION_M_TIME] = "Escriba una hora válida (HH:MM)",
		  [SESSION_M_CHOICE] = "Elija una opción de la lista",
		  [SESSION_M_DUPLICATE] = "Una opción está repetida",
		  [SESSION_M_ACK] = "Confirme con OK",
		  [SESSION_M_TOO_LONG] = "La respuesta es demasiado larga",
		  [SESSION_M_UTF8] = "El texto tiene caracteres no válidos",
		  [SESSION_M_FROZEN] = "La entrevista ya está cerrada",
		  [SESSION_M_NOT_SAVED] = "No se sabe si se guardó: "
					  "inténtelo de nuevo",
		  [SESSION_M_DISK_FULL] = "El disco está lleno: no se "
					  "guardó, libere espacio",
		  [SESSION_M_NOTHING] = "Aquí no hay nada que responder",
		  [SESSION_M_NOT_REACHED] = "Aún no ha llegado a esa pregunta",
		  [SESSION_M_MISSING] = "Hay preguntas sin responder o con "
					"errores",
		  [SESSION_M_REMOVE] = "Se borrarán entradas: ¿confirma?",
	  } },
	{ "ht",
	  {
		  [SESSION_M_REQUIRED] = "Kesyon sa a obligatwa",
		  [SESSION_M_CONSTRAINT] = "Repons lan pa valab",
		  [SESSION_M_INTEGER] = "Ekri yon nonm antye",
		  [SESSION_M_RANGE] = "Nonm nan twò gwo",
		  [SESSION_M_DECIMAL] = "Ekri yon nonm",
		  [SESSION_M_DATE] = "Ekri yon dat ki valab (AAAA-MM-JJ)",
		  [SESSION_M_DATETIME] = "Ekri yon dat ak yon lè ki valab",
		  [SESSION_M_TIME] = "Ekri yon lè ki valab (HH:MM)",
		  [SESSION_M_CHOICE] = "Chwazi yon opsyon nan lis la",
		  [SESSION_M_DUPLICATE] = "Gen yon opsyon ki repete",
		  [SESSION_M_ACK] = "Konfime ak OK",
		  [SESSION_M_TOO_LONG] = "Repons lan twò long",
		  [SESSION_M_UTF8] = "Tèks la gen karaktè ki pa valab",
		  [SESSION_M_FROZEN] = "Antrevi a deja fèmen",
		  [SESSION_M_NOT_SAVED] = "Nou pa konnen si li anrejistre: "
					  "eseye ankò",
		  [SESSION_M_DISK_FULL] = "Disk la plen: li pa anrejistre, "
					  "libere espas",
		  [SESSION_M_NOTHING] = "Pa gen anyen pou reponn la a",
		  [SESSION_M_NOT_REACHED] = "Ou poko rive nan kesyon sa a",
		  [SESSION_M_MISSING] = "Gen kesyon ki manke repons oswa ki "
					"gen erè",
		  [SESSION_M_REMOVE] = "Y ap efase kèk antre: ou konfime?",
	  } },
	{ "fr",
	  {
		  [SESSION_M_REQUIRED] = "Cette question est obligatoire",
		  [SESSION_M_CONSTRAINT] = "La réponse n'est pas valide",
		  [SESSION_M_INTEGER] = "Saisissez un nombre entier",
		  [SESSION_M_RANGE] = "Le nombre est trop grand",
		  [SESSION_M_DECIMAL] = "Saisissez un nombre",
		  [SESSION_M_DATE] = "Saisissez une date valide (AAAA-MM-JJ)",
		  [SESSION_M_DATETIME] = "Saisissez une date et une heure "
					 "valides",
		  [SESSION_M_TIME] = "Saisissez une heure valide (HH:MM)",
		  [SESSION_M_CHOICE] = "Choisissez une option de la liste",
		  [SESSION_M_DUPLICATE] = "Une option est répétée",
		  [SESSION_M_ACK] = "Confirmez avec OK",
		  [SESSION_M_TOO_LONG] = "La réponse est trop longue",
		  [SESSION_M_UTF8] = "Le texte contient des caractères non "
				     "valides",
		  [SESSION_M_FROZEN] = "L'entretien est déjà clos",
		  [SESSION_M_NOT_SAVED] = "Enregistrement incertain : "
					  "réessayez",
		  [SESSION_M_DISK_FULL] = "Le disque est plein : rien n'a été "
					  "enregistré, libérez de la place",
		  [SESSION_M_NOTHING] = "Il n'y a rien à répondre ici",
		  [SESSION_M_NOT_REACHED] = "Cette question n'a pas encore été "
					    "atteinte",
		  [SESSION_M_MISSING] = "Des questions sont sans réponse ou "
					"à corriger",
		  [SESSION_M_REMOVE] = "Des entrées vont être supprimées : "
				       "confirmez-vous ?",
	  } },
	{ "en",
	  {
		  [SESSION_M_REQUIRED] = "This question is required",
		  [SESSION_M_CONSTRAINT] = "The answer is not valid",
		  [SESSION_M_INTEGER] = "Type a whole number",
		  [SESSION_M_RANGE] = "The number is too large",
		  [SESSION_M_DECIMAL] = "Type a number",
		  [SESSION_M_DATE] = "Type a valid date (YYYY-MM-DD)",
		  [SESSION_M_DATETIME] = "Type a valid date and time",
		  [SESSION_M_TIME] = "Type a valid time (HH:MM)",
		  [SESSION_M_CHOICE] = "Choose an option of the list",
		  [SESSION_M_DUPLICATE] = "An option is repeated",
		  [SESSION_M_ACK] = "Confirm with OK",
		  [SESSION_M_TOO_LONG] = "The answer is too long",
		  [SESSION_M_UTF8] = "The text has invalid characters",
		  [SESSION_M_FROZEN] = "The interview is already closed",
		  [SESSION_M_NOT_SAVED] = "Not known to be saved: try again",
		  [SESSION_M_DISK_FULL] = "The disk is full: nothing was "
					  "saved, free some space",
		  [SESSION_M_NOTHING] = "There is nothing to answer here",
		  [SESSION_M_NOT_REACHED] = "That question was not reached yet",
		  [SESSION_M_MISSING] = "Some questions are missing or wrong",
		  [SESSION_M_REMOVE] = "Entries will be removed: confirm?",
	  } },
};

const char *session_msg_text(const char *lang, enum session_msg id)
{
	size_t n = sizeof(msgs) / sizeof(msgs[0]);

	for (size_t i = 0; lang && i < n; i++) {
		if (strcmp(msgs[i].lang, lang) == 0) {
			return msgs[i].text[id];
		}
	}
	return msgs[n - 1].text[id];
}

bool session_utf8_valid(const char *p, size_t len)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t i = 0;

	while (i < len) {
		unsigned c = s[i];
		size_t n;
		uint32_t cp;

		if (c < 0x80) {
			if (c == 0) {
				return false;
			}
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		if (len - i <= n) {
			return false;
		}
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80) {
				return false;
			}
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
			return false;
		}
		i += n + 1;
	}
	return true;
}

static bool digits(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9') {
			return false;
		}
	}
	return n > 0;
}

static unsigned num(const char *p, size_t n)
{
	unsigned v = 0;

	for (size_t i = 0; i < n; i++) {
		v = v * 10 + (unsigned)(p[i] - '0');
	}
	return v;
}

static bool date_ok(const char *p, size_t len)
{
	static const unsigned mdays[] = { 31, 28, 31, 30, 31, 30,
					  31, 31, 30, 31, 30, 31 };
	unsigned y, m, d, max;

	if (len != 10 || p[4] != '-' || p[7] != '-' || !digits(p, 4) ||
	    !digits(p + 5, 2) || !digits(p + 8, 2)) {
		return false;
	}
	y = num(p, 4);
	m = num(p + 5, 2);
	d = num(p + 8, 2);
	if (y < 1 || m < 1 || m > 12 || d < 1) {
		return false;
	}
	max = mdays[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) {
		max = 29;
	}
	return d <= max;
}

/* HH:MM or HH:MM:SS (with seconds fraction when frac is true). */
static bool time_ok(const char *p, size_t len, bool frac)
{
	if (len < 5 || !digits(p, 2) || p[2] != ':' || !digits(p + 3, 2) ||
	    num(p, 2) > 23 || num(p + 3, 2) > 59) {
		return false;
	}
	if (len == 5) {
		return true;
	}
	if (len < 8 || p[5] != ':' || !digits(p + 6, 2) || num(p + 6, 2) > 59) {
		return false;
	}
	if (len == 8) {
		return true;
	}
	return frac && p[8] == '.' && digits(p + 9, len - 9) && len <= 12;
}

static bool datetime_ok(const char *p, size_t len)
{
	size_t tl;

	if (len < 16 || !date_ok(p, 10) || (p[10] != 'T' && p[10] != ' ')) {
		return false;
	}
	p += 11;
	len -= 11;
	tl = len;
	if (tl && p[tl - 1] == 'Z') {
		tl--;
	} else if (tl > 6 && (p[tl - 6] == '+' || p[tl - 6] == '-')) {
		const char *z = p + tl - 5;

		if (!digits(z, 2) || z[2] != ':' || !digits(z + 3, 2) ||
		    num(z, 2) > 14 || num(z + 3, 2) > 59) {
			return false;
		}
		tl -= 6;
	}
	return time_ok(p, tl, true);
}

static void trim(const char **p, size_t *len)
{
	while (*len && (**p == ' ' || **p == '\t')) {
		(*p)++;
		(*len)--;
	}
	while (*len && ((*p)[*len - 1] == ' ' || (*p)[*len - 1] == '\t')) {
		(*len)--;
	}
}

enum session_msg session_check_scalar(enum campo_type type, const char *p,
				      size_t len, struct campo_buf *out)
{
	enum campo_status status = CAMPO_OK;

	campo_buf_reset(out);
	if (type != CAMPO_TYPE_TEXT) {
		trim(&p, &len);
	}
	if (len == 0) {
		return SESSION_M_NONE;
	}
	switch (type) {
	case CAMPO_TYPE_INTEGER: {
		size_t i = 0;
		bool neg = false;
		uint64_t v = 0;

		if (p[0] == '-') {
			neg = true;
			i = 1;
		}
		if (!digits(p + i, len - i)) {
			return SESSION_M_INTEGER;
		}
		for (; i < len; i++) {
			unsigned d = (unsigned)(p[i] - '0');

			if (v > (UINT64_C(9223372036854775808) - d) / 10) {
				return SESSION_M_RANGE;
			}
			v = v * 10 + d;
		}
		if (!neg && v > (uint64_t)INT64_MAX) {
			return SESSION_M_RANGE;
		}
		if (neg && v) {
			status = campo_buf_addc(out, '-');
		}
		if (status == CAMPO_OK) {
			status = campo_buf_printf(out, "%llu",
						  (unsigned long long)v);
		}
		break;
	}
	case CAMPO_TYPE_DECIMAL: {
		size_t i = 0, ndig = 0;
		bool point = false;

		if (len > 64) {
			return SESSION_M_TOO_LONG;
		}
		if (p[0] == '-') {
			i = 1;
		}
		for (size_t k = i; k < len; k++) {
			if (p[k] >= '0' && p[k] <= '9') {
				ndig++;
			} else if ((p[k] == '.' || p[k] == ',') && !point) {
				point = true;
			} else {
				return SESSION_M_DECIMAL;
			}
		}
		if (!ndig) {
			return SESSION_M_DECIMAL;
		}
		for (size_t k = 0; k < len && status == CAMPO_OK; k++) {
			status = campo_buf_addc(out, p[k] == ',' ? '.' : p[k]);
		}
		break;
	}
	case CAMPO_TYPE_DATE:
		if (!date_ok(p, len)) {
			return SESSION_M_DATE;
		}
		status = campo_buf_add(out, p, len);
		break;
	case CAMPO_TYPE_TIME:
		if (!time_ok(p, len, false)) {
			return SESSION_M_TIME;
		}
		status = campo_buf_add(out, p, len);
		break;
	case CAMPO_TYPE_DATETIME:
		if (!datetime_ok(p, len)) {
			return SESSION_M_DATETIME;
		}
		status = campo_buf_add(out, p, len);
		if (status == CAMPO_OK) {
			out->data[10] = 'T';
		}
		break;
	case CAMPO_TYPE_ACKNOWLEDGE:
		if (len != 2 || (p[0] != 'O' && p[0] != 'o') ||
		    (p[1] != 'K' && p[1] != 'k')) {
			return SESSION_M_ACK;
		}
		status = campo_buf_adds(out, "OK");
		break;
	default:
		if (len > SESSION_TEXT_MAX) {
			return SESSION_M_TOO_LONG;
		}
		if (!session_utf8_valid(p, len)) {
			return SESSION_M_UTF8;
		}
		status = campo_buf_add(out, p, len);
		break;
	}
	return status == CAMPO_OK ? SESSION_M_NONE : SESSION_M_NOMEM;
}
