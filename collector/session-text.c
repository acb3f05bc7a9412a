/* SPDX-License-Identifier: MIT */
/* The session's generic messages, in every language it knows. */
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

enum session_msg session_value_msg(enum campo_value_error err)
{
	static const enum session_msg map[] = {
		[CAMPO_VALUE_OK] = SESSION_M_NONE,
		[CAMPO_VALUE_INTEGER] = SESSION_M_INTEGER,
		[CAMPO_VALUE_RANGE] = SESSION_M_RANGE,
		[CAMPO_VALUE_DECIMAL] = SESSION_M_DECIMAL,
		[CAMPO_VALUE_DATE] = SESSION_M_DATE,
		[CAMPO_VALUE_DATETIME] = SESSION_M_DATETIME,
		[CAMPO_VALUE_TIME] = SESSION_M_TIME,
		[CAMPO_VALUE_ACK] = SESSION_M_ACK,
		[CAMPO_VALUE_TOO_LONG] = SESSION_M_TOO_LONG,
		[CAMPO_VALUE_UTF8] = SESSION_M_UTF8,
		[CAMPO_VALUE_NOMEM] = SESSION_M_NOMEM,
	};

	return map[err];
}
