/* SPDX-License-Identifier: MIT */
/* Drawing: each frame is painted from the session's state in one batch. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "tui-internal.h"

enum { PAIR_BAR = 1, PAIR_ERROR, PAIR_HINT, PAIR_SEL, PAIR_OK };

static attr_t a_bar, a_error, a_hint, a_sel, a_ok, a_label;

void tui_colors_init(struct tui *t)
{
	const char *no = getenv("NO_COLOR");

	t->color = has_colors() && !(no && *no);
	a_label = A_BOLD;
	if (t->color && start_color() == OK) {
		use_default_colors();
		init_pair(PAIR_BAR, COLOR_WHITE, COLOR_BLUE);
		init_pair(PAIR_ERROR, COLOR_RED, -1);
		init_pair(PAIR_HINT, COLOR_CYAN, -1);
		init_pair(PAIR_SEL, COLOR_BLACK, COLOR_YELLOW);
		init_pair(PAIR_OK, COLOR_GREEN, -1);
		a_bar = COLOR_PAIR(PAIR_BAR) | A_BOLD;
		a_error = COLOR_PAIR(PAIR_ERROR) | A_BOLD;
		a_hint = COLOR_PAIR(PAIR_HINT);
		a_sel = COLOR_PAIR(PAIR_SEL);
		a_ok = COLOR_PAIR(PAIR_OK);
	} else {
		/* monochrome: the meaning stays in the attributes */
		t->color = false;
		a_bar = A_REVERSE;
		a_error = A_BOLD | A_UNDERLINE;
		a_hint = A_DIM;
		a_sel = A_REVERSE;
		a_ok = A_BOLD;
	}
}

/* ----- chrome texts ----- */

struct text_row {
	const char *lang;
	const char *t[TX_COUNT_];
};

static const struct text_row texts[] = {
	{ "en",
	  { [TX_KEYS_Q] = "Enter next  S-Tab back  F2 lang  F3 index  F5 "
			  "review  F10 save+home  F1 help",
	    [TX_KEYS_HOME] = "Enter open  d discard  F2 language  F10/q quit  "
			     "F1 help",
	    [TX_KEYS_REVIEW] = "Enter go to  n next problem  f finalize  F10 "
			       "save+home  F1 help",
	    [TX_KEYS_SETUP] = "Enter/Tab next  S-Tab back  F2 language",
	    [TX_KEYS_FROZEN] = "Enter go to  e edit  F10 home  F1 help",
	    [TX_ST_DRAFT] = "draft",
	    [TX_ST_FINALIZED] = "finalized",
	    [TX_ST_SENT] = "sent",
	    [TX_ST_RETURNED] = "returned",
	    [TX_ST_DISCARDED] = "discarded",
	    [TX_NEW] = "Start a new interview",
	    [TX_TODAY] = "today",
	    [TX_DRAFTS] = "drafts",
	    [TX_WAITING] = "waiting to sync",
	    [TX_LAST_SYNC] = "last sync",
	    [TX_NEVER] = "never",
	    [TX_REVIEW] = "Review",
	    [TX_ADD_ANOTHER] = "Add another?",
	    [TX_ADD] = "Yes, add another",
	    [TX_NO_MORE] = "No, continue",
	    [TX_MISSING] = "missing",
	    [TX_INVALID] = "invalid",
	    [TX_FINALIZE_Q] = "Finalize this interview? It cannot be "
			      "changed afterwards. (y/n)",
	    [TX_REMOVE_Q] = "Remove this member and all their answers? (y/n)",
	    [TX_DISCARD_Q] = "Discard this draft? It will not be sent. (y/n)",
	    [TX_REVISE_Q] = "Edit this finalized interview? A new revision "
			    "is made and must be finalized again. (y/n)",
	    [TX_CORRECT_Q] = "The supervisor returned this interview. "
			     "Correct it now? A new revision is made and "
			     "must be finalized again. (y/n)",
	    [TX_NOTE] = "Supervisor's note",
	    [TX_YESNO] = "(y/n)",
	    [TX_OF] = "of",
	    [TX_FINALIZED] = "Interview finalized and queued for sync",
	    [TX_DISCARDED] = "Draft discarded",
	    [TX_READONLY] = "read only (e: edit)",
	    [TX_FILTER] = "type to filter",
	    [TX_ACK] = "Space or Enter to acknowledge",
	    [TX_INDEX] = "Questions (Enter: go there, Esc: back)",
	    [TX_HELP] = "Keys (any key to close)",
	    [TX_SETUP] = "First run: who is using this device?",
	    [TX_SETUP_NAME] = "Enumerator name",
	    [TX_SETUP_CODE] = "Enumerator code",
	    [TX_SETUP_DEVICE] = "Device name",
	    [TX_DATE] = "Type the date as DD/MM/YYYY",
	    [TX_DATETIME] = "Type the date and time as DD/MM/YYYY HH:MM",
	    [TX_FMT_DATE] = "DD/MM/YYYY",
	    [TX_FMT_TIME] = "HH:MM",
	    [TX_FMT_DATETIME] = "DD/MM/YYYY HH:MM",
	    [TX_H_HELP] = "this help",
	    [TX_H_NEXT] = "confirm and go on",
	    [TX_H_BACK] = "go back",
	    [TX_H_LANG] = "switch language",
	    [TX_H_INDEX] = "question index",
	    [TX_H_REVIEW] = "review",
	    [TX_H_PROBLEM] = "review: next missing or invalid question",
	    [TX_H_REMOVE] = "remove this roster member",
	    [TX_H_FINALIZE] = "review: finalize",
	    [TX_H_REVISE] = "finalized: edit (a new revision)",
	    [TX_H_SAVE] = "save and go home (quit at home)",
	    [TX_H_DISCARD] = "home: discard the highlighted draft",
	    [TX_H_PICK] = "pick a choice; typing filters a long list",
	    [TX_H_TICK] = "tick or untick (select multiple)",
	    [TX_H_YESNO] = "answer a question asked in a box" } },
	{ "es",
	  { [TX_KEYS_Q] = "Enter sigue  S-Tab atrás  F2 idioma  F3 índice  F5 "
			  "revisar  F10 salir  F1 ayuda",
	    [TX_KEYS_HOME] = "Enter abrir  d descartar  F2 idioma  F10/q salir "
			     " F1 ayuda",
	    [TX_KEYS_REVIEW] = "Enter ir  n siguiente problema  f finalizar  "
			       "F10 guardar  F1 ayuda",
	    [TX_KEYS_SETUP] = "Enter/Tab sigue  S-Tab atrás  F2 idioma",
	    [TX_KEYS_FROZEN] = "Enter ir  e editar  F10 volver  F1 ayuda",
	    [TX_ST_DRAFT] = "borrador",
	    [TX_ST_FINALIZED] = "finalizada",
	    [TX_ST_SENT] = "enviada",
	    [TX_ST_RETURNED] = "devuelta",
	    [TX_ST_DISCARDED] = "descartada",
	    [TX_NEW] = "Iniciar una entrevista nueva",
	    [TX_TODAY] = "hoy",
	    [TX_DRAFTS] = "borradores",
	    [TX_WAITING] = "por sincronizar",
	    [TX_LAST_SYNC] = "última sincronización",
	    [TX_NEVER] = "nunca",
	    [TX_REVIEW] = "Revisión",
	    [TX_ADD_ANOTHER] = "¿Agregar otro?",
	    [TX_ADD] = "Sí, agregar otro",
	    [TX_NO_MORE] = "No, continuar",
	    [TX_MISSING] = "falta",
	    [TX_INVALID] = "inválido",
	    [TX_FINALIZE_Q] = "¿Finalizar esta entrevista? No se podrá "
			      "cambiar después. (s/n)",
	    [TX_REMOVE_Q] = "¿Eliminar este miembro y todas sus respuestas? "
			    "(s/n)",
	    [TX_DISCARD_Q] = "¿Descartar este borrador? No se enviará. (s/n)",
	    [TX_REVISE_Q] = "¿Editar esta entrevista finalizada? Se crea una "
			    "nueva versión que hay que finalizar otra vez. "
			    "(s/n)",
	    [TX_CORRECT_Q] = "El supervisor devolvió esta entrevista. "
			     "¿Corregirla ahora? Se crea una nueva versión "
			     "que hay que finalizar otra vez. (s/n)",
	    [TX_NOTE] = "Nota del supervisor",
	    [TX_YESNO] = "(s/n)",
	    [TX_OF] = "de",
	    [TX_FINALIZED] = "Entrevista finalizada, en cola para enviar",
	    [TX_DISCARDED] = "Borrador descartado",
	    [TX_READONLY] = "solo lectura (e: editar)",
	    [TX_FILTER] = "escriba para filtrar",
	    [TX_ACK] = "Espacio o Enter para confirmar",
	    [TX_INDEX] = "Preguntas (Enter: ir, Esc: volver)",
	    [TX_HELP] = "Teclas (cualquier tecla para cerrar)",
	    [TX_SETUP] = "Primer uso: ¿quién usa este equipo?",
	    [TX_SETUP_NAME] = "Nombre del encuestador",
	    [TX_SETUP_CODE] = "Código del encuestador",
	    [TX_SETUP_DEVICE] = "Nombre del equipo",
	    [TX_DATE] = "Escriba la fecha como DD/MM/AAAA",
	    [TX_DATETIME] = "Escriba la fecha y la hora como DD/MM/AAAA HH:MM",
	    [TX_FMT_DATE] = "DD/MM/AAAA",
	    [TX_FMT_TIME] = "HH:MM",
	    [TX_FMT_DATETIME] = "DD/MM/AAAA HH:MM",
	    [TX_H_HELP] = "esta ayuda",
	    [TX_H_NEXT] = "confirmar y seguir",
	    [TX_H_BACK] = "volver atrás",
	    [TX_H_LANG] = "cambiar de idioma",
	    [TX_H_INDEX] = "índice de preguntas",
	    [TX_H_REVIEW] = "revisar",
	    [TX_H_PROBLEM] = "revisión: siguiente pregunta que falta o es "
			     "inválida",
	    [TX_H_REMOVE] = "eliminar a este miembro del hogar",
	    [TX_H_FINALIZE] = "revisión: finalizar",
	    [TX_H_REVISE] = "finalizada: editar (una nueva versión)",
	    [TX_H_SAVE] = "guardar y volver al inicio (salir en el inicio)",
	    [TX_H_DISCARD] = "inicio: descartar el borrador marcado",
	    [TX_H_PICK] = "elegir una opción; escribir filtra una lista larga",
	    [TX_H_TICK] = "marcar o desmarcar (selección múltiple)",
	    [TX_H_YESNO] = "responder la pregunta de un recuadro" } },
	{ "ht",
	  { [TX_KEYS_Q] = "Enter swiv  S-Tab tounen  F2 lang  F3 endèks  F5 "
			  "revize  F10 sove  F1 èd",
	    [TX_KEYS_HOME] = "Enter louvri  d jete  F2 lang  F10/q kite  F1 èd",
	    [TX_KEYS_REVIEW] = "Enter ale  n pwoblèm swivan  f fini  F10 "
			       "sove  F1 èd",
	    [TX_KEYS_SETUP] = "Enter/Tab swiv  S-Tab tounen  F2 lang",
	    [TX_KEYS_FROZEN] = "Enter ale  e modifye  F10 tounen  F1 èd",
	    [TX_ST_DRAFT] = "bouyon",
	    [TX_ST_FINALIZED] = "fini",
	    [TX_ST_SENT] = "voye",
	    [TX_ST_RETURNED] = "retounen",
	    [TX_ST_DISCARDED] = "jete",
	    [TX_NEW] = "Kòmanse yon nouvo antrevi",
	    [TX_TODAY] = "jodi a",
	    [TX_DRAFTS] = "bouyon",
	    [TX_WAITING] = "ap tann voye",
	    [TX_LAST_SYNC] = "dènye senkronizasyon",
	    [TX_NEVER] = "janm",
	    [TX_REVIEW] = "Revizyon",
	    [TX_ADD_ANOTHER] = "Ajoute yon lòt?",
	    [TX_ADD] = "Wi, ajoute yon lòt",
	    [TX_NO_MORE] = "Non, kontinye",
	    [TX_MISSING] = "manke",
	    [TX_INVALID] = "pa valab",
	    [TX_FINALIZE_Q] = "Fini antrevi sa a? Ou p ap ka chanje l apre. "
			      "(w/n)",
	    [TX_REMOVE_Q] = "Retire manm sa a ak tout repons li yo? (w/n)",
	    [TX_DISCARD_Q] = "Jete bouyon sa a? Yo p ap voye l. (w/n)",
	    [TX_REVISE_Q] = "Modifye antrevi ki fini sa a? Sa fè yon nouvo "
			    "vèsyon pou w fini ankò. (w/n)",
	    [TX_CORRECT_Q] = "Sipèvizè a voye antrevi sa a tounen. Korije "
			     "l kounye a? Sa fè yon nouvo vèsyon pou w fini "
			     "ankò. (w/n)",
	    [TX_NOTE] = "Nòt sipèvizè a",
	    [TX_YESNO] = "(w/n)",
	    [TX_OF] = "sou",
	    [TX_FINALIZED] = "Antrevi a fini, l ap tann pou yo voye l",
	    [TX_DISCARDED] = "Bouyon an jete",
	    [TX_READONLY] = "li sèlman (e: modifye)",
	    [TX_FILTER] = "tape pou chèche",
	    [TX_ACK] = "Espas oswa Enter pou konfime",
	    [TX_INDEX] = "Kesyon yo (Enter: ale, Esc: tounen)",
	    [TX_HELP] = "Touch yo (nenpòt touch pou fèmen)",
	    [TX_SETUP] = "Premye fwa: kiyès k ap itilize aparèy sa a?",
	    [TX_SETUP_NAME] = "Non anketè a",
	    [TX_SETUP_CODE] = "Kòd anketè a",
	    [TX_SETUP_DEVICE] = "Non aparèy la",
	    [TX_DATE] = "Ekri dat la konsa: JJ/MM/AAAA",
	    [TX_DATETIME] = "Ekri dat la ak lè a konsa: JJ/MM/AAAA HH:MM",
	    [TX_FMT_DATE] = "JJ/MM/AAAA",
	    [TX_FMT_TIME] = "HH:MM",
	    [TX_FMT_DATETIME] = "JJ/MM/AAAA HH:MM",
	    [TX_H_HELP] = "èd sa a",
	    [TX_H_NEXT] = "konfime epi kontinye",
	    [TX_H_BACK] = "tounen dèyè",
	    [TX_H_LANG] = "chanje lang",
	    [TX_H_INDEX] = "lis kesyon yo",
	    [TX_H_REVIEW] = "revize",
	    [TX_H_PROBLEM] = "revizyon: pwochen kesyon ki manke oswa ki pa "
			     "valab",
	    [TX_H_REMOVE] = "retire manm fanmi sa a",
	    [TX_H_FINALIZE] = "revizyon: fini",
	    [TX_H_REVISE] = "fini: modifye (yon nouvo vèsyon)",
	    [TX_H_SAVE] = "sove epi tounen nan kòmansman (kite la)",
	    [TX_H_DISCARD] = "kòmansman: jete bouyon ki make a",
	    [TX_H_PICK] = "chwazi yon repons; tape pou chèche nan yon lis "
			  "long",
	    [TX_H_TICK] = "make oswa retire mak (plizyè chwa)",
	    [TX_H_YESNO] = "reponn kesyon ki nan yon bwat" } },
	{ "fr",
	  { [TX_KEYS_Q] = "Entrée suite  S-Tab retour  F2 langue  F3 index  "
			  "F5 revue  F10 enreg.  F1 aide",
	    [TX_KEYS_HOME] = "Entrée ouvrir  d abandonner  F2 langue  F10/q "
			     "quitter  F1 aide",
	    [TX_KEYS_REVIEW] = "Entrée aller  n problème suivant  f finaliser "
			       " F10 enreg.  F1 aide",
	    [TX_KEYS_SETUP] = "Entrée/Tab suite  S-Tab retour  F2 langue",
	    [TX_KEYS_FROZEN] = "Entrée aller  e modifier  F10 accueil  F1 aide",
	    [TX_ST_DRAFT] = "brouillon",
	    [TX_ST_FINALIZED] = "finalisé",
	    [TX_ST_SENT] = "envoyé",
	    [TX_ST_RETURNED] = "renvoyé",
	    [TX_ST_DISCARDED] = "abandonné",
	    [TX_NEW] = "Commencer un nouvel entretien",
	    [TX_TODAY] = "aujourd'hui",
	    [TX_DRAFTS] = "brouillons",
	    [TX_WAITING] = "à synchroniser",
	    [TX_LAST_SYNC] = "dernière synchronisation",
	    [TX_NEVER] = "jamais",
	    [TX_REVIEW] = "Revue",
	    [TX_ADD_ANOTHER] = "En ajouter un autre ?",
	    [TX_ADD] = "Oui, en ajouter un",
	    [TX_NO_MORE] = "Non, continuer",
	    [TX_MISSING] = "manquant",
	    [TX_INVALID] = "invalide",
	    [TX_FINALIZE_Q] = "Finaliser cet entretien ? Il ne pourra plus "
			      "changer. (o/n)",
	    [TX_REMOVE_Q] = "Retirer ce membre et toutes ses réponses ? (o/n)",
	    [TX_DISCARD_Q] = "Abandonner ce brouillon ? Il ne sera pas envoyé. "
			     "(o/n)",
	    [TX_REVISE_Q] = "Modifier cet entretien finalisé ? Une nouvelle "
			    "version est créée, à finaliser de nouveau. (o/n)",
	    [TX_CORRECT_Q] = "Le superviseur a renvoyé cet entretien. Le "
			     "corriger maintenant ? Une nouvelle version est "
			     "créée, à finaliser de nouveau. (o/n)",
	    [TX_NOTE] = "Note du superviseur",
	    [TX_YESNO] = "(o/n)",
	    [TX_OF] = "sur",
	    [TX_FINALIZED] = "Entretien finalisé, en attente d'envoi",
	    [TX_DISCARDED] = "Brouillon abandonné",
	    [TX_READONLY] = "lecture seule (e : modifier)",
	    [TX_FILTER] = "tapez pour filtrer",
	    [TX_ACK] = "Espace ou Entrée pour confirmer",
	    [TX_INDEX] = "Questions (Entrée : aller, Échap : retour)",
	    [TX_HELP] = "Touches (une touche pour fermer)",
	    [TX_SETUP] = "Premier lancement : qui utilise cet appareil ?",
	    [TX_SETUP_NAME] = "Nom de l'enquêteur",
	    [TX_SETUP_CODE] = "Code de l'enquêteur",
	    [TX_SETUP_DEVICE] = "Nom de l'appareil",
	    [TX_DATE] = "Tapez la date ainsi : JJ/MM/AAAA",
	    [TX_DATETIME] = "Tapez la date et l'heure ainsi : JJ/MM/AAAA HH:MM",
	    [TX_FMT_DATE] = "JJ/MM/AAAA",
	    [TX_FMT_TIME] = "HH:MM",
	    [TX_FMT_DATETIME] = "JJ/MM/AAAA HH:MM",
	    [TX_H_HELP] = "cette aide",
	    [TX_H_NEXT] = "confirmer et continuer",
	    [TX_H_BACK] = "revenir en arrière",
	    [TX_H_LANG] = "changer de langue",
	    [TX_H_INDEX] = "index des questions",
	    [TX_H_REVIEW] = "revue",
	    [TX_H_PROBLEM] = "revue : question manquante ou invalide suivante",
	    [TX_H_REMOVE] = "retirer ce membre du ménage",
	    [TX_H_FINALIZE] = "revue : finaliser",
	    [TX_H_REVISE] = "finalisé : modifier (une nouvelle version)",
	    [TX_H_SAVE] = "enregistrer et revenir à l'accueil (quitter "
			  "depuis l'accueil)",
	    [TX_H_DISCARD] = "accueil : abandonner le brouillon choisi",
	    [TX_H_PICK] = "choisir une réponse ; taper filtre une longue liste",
	    [TX_H_TICK] = "cocher ou décocher (choix multiple)",
	    [TX_H_YESNO] = "répondre à une question posée dans un cadre" } },
};

const char *tui_text(const struct tui *t, int id)
{
	size_t lang = t->s ? campo_session_language(t->s) : t->lang;
	const char *code =
		lang < t->form->n_languages ? t->form->languages[lang] : "en";

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		if (!strcmp(texts[i].lang, code)) {
			return texts[i].t[id];
		}
	}
	return texts[0].t[id];
}

/* ----- text helpers ----- */

/* Display columns of one code point (control and unknown: 1). */
static int cols(uint32_t c)
{
	int w = wcwidth((wchar_t)c);

	return w < 0 ? 1 : w;
}

/* Display columns of the first n bytes of s. */
static int width_of(const char *s, size_t n)
{
	int w = 0;

	for (size_t i = 0; i < n;) {
		uint32_t c;
		i += campo_tui_utf8_decode(s + i, n - i, &c);
		w += cols(c);
	}
	return w;
}

static bool is_select_type(enum campo_type type)
{
	return type == CAMPO_TYPE_SELECT_ONE ||
	       type == CAMPO_TYPE_SELECT_MULTIPLE;
}

/* Puts at most width columns of s at (y, x); returns columns used. */
static int put(int y, int x, int width, const char *s, attr_t a)
{
	size_t len = strlen(s);
	size_t i = 0;
	int used = 0;

	while (i < len) {
		uint32_t c;
		size_t n = campo_tui_utf8_decode(s + i, len - i, &c);
		int w = cols(c);

		if (used + w > width) {
			break;
		}
		used += w;
		i += n;
	}
	attron(a);
	mvaddnstr(y, x, s, (int)i);
	attroff(a);
	return used;
}

/*
 * Word-wraps s into width columns from row y, at most max_rows rows;
 * returns the rows used.
 */
static int wrap(int y, int x, int width, int max_rows, const char *s, attr_t a)
{
	size_t len = strlen(s);
	size_t i = 0;
	int rows = 0;

	while (i < len && rows < max_rows) {
		size_t line_end = i;
		size_t brk = 0;
		int used = 0;

		while (line_end < len && s[line_end] != '\n') {
			uint32_t c;
			size_t n = campo_tui_utf8_decode(s + line_end,
							 len - line_end, &c);
			int w = cols(c);

			if (used + w > width) {
				break;
			}
			if (c == ' ') {
				brk = line_end;
			}
			used += w;
			line_end += n;
		}
		if (line_end < len && s[line_end] != '\n' && brk > i) {
			line_end = brk;
		}
		attron(a);
		mvaddnstr(y + rows, x, s + i, (int)(line_end - i));
		attroff(a);
		rows++;
		i = line_end;
		while (i < len && (s[i] == ' ' || s[i] == '\n')) {
			if (s[i++] == '\n') {
				break;
			}
		}
	}
	return rows;
}

static void bar(int y, const char *left, const char *right)
{
	attron(a_bar);
	mvhline(y, 0, ' ', COLS);
	attroff(a_bar);
	put(y, 1, COLS - 1, left, a_bar);
	if (right && *right) {
		int w = width_of(right, strlen(right));

		if (w < COLS - 2) {
			put(y, COLS - 1 - w, w, right, a_bar);
		}
	}
}

static void status_line(struct tui *t)
{
	if (*t->status) {
		wrap(LINES - 2, 1, COLS - 2, 1, t->status,
		     t->status_error ? a_error : a_ok);
	}
}

static const char *form_title(const struct tui *t)
{
	size_t lang = t->s ? campo_session_language(t->s) : t->lang;
	const char *title = campo_i18n_get(t->form, &t->form->title, lang);

	return title ? title : t->form->id;
}

/* Keeps row sel visible in a list of height rows starting at *top. */
static void scroll_to(size_t sel, size_t height, size_t *top)
{
	if (height == 0) {
		return;
	}
	if (sel < *top) {
		*top = sel;
	} else if (sel >= *top + height) {
		*top = sel - height + 1;
	}
}

/* ----- screens ----- */

#define SETUP_X 28 /* column of the first-run answers */

static void draw_setup(struct tui *t)
{
	static const int names[3] = { TX_SETUP_NAME, TX_SETUP_CODE,
				      TX_SETUP_DEVICE };

	bar(0, "campo", form_title(t));
	wrap(2, 2, COLS - 4, 2, tui_text(t, TX_SETUP), a_label);
	for (int i = 0; i < 3; i++) {
		const char *v =
			i == t->setup_field ? t->edit.text : t->setup[i];

		put(4 + 2 * i, 2, SETUP_X - 3, tui_text(t, names[i]),
		    i == t->setup_field ? A_BOLD : A_NORMAL);
		put(4 + 2 * i, SETUP_X, COLS - SETUP_X - 2, v,
		    i == t->setup_field ? A_UNDERLINE : A_NORMAL);
	}
	status_line(t);
	bar(LINES - 1, tui_text(t, TX_KEYS_SETUP), "");
}

/* "DD/MM/YYYY" of an ISO date, "DD/MM/YYYY HH:MM..." of an ISO date-time
 * (the time as stored); anything else as it is. */
static const char *dmy(const char *iso, char *out, size_t cap)
{
	char d[11];

	if (strlen(iso) < 10 || cap < 12) {
		return iso;
	}
	if (campo_tui_date_from_iso(iso, d)) {
		return snprintf(out, cap, "%s", d) < 0 ? iso : out;
	}
	if (campo_tui_datetime_from_iso(iso, out, cap)) {
		return out;
	}
	return iso;
}

static void draw_home(struct tui *t)
{
	char line[256];
	int list_y = 4;
	size_t height = LINES > list_y + 3 ? (size_t)(LINES - list_y - 3) : 1;
	const struct campo_store_device *d = campo_store_device(t->store);
	int name_w;

	bar(0, form_title(t), d->enumerator_name);
	snprintf(line, sizeof(line), "%s: %llu   %s: %llu   %s: %llu",
		 tui_text(t, TX_TODAY), (unsigned long long)t->n_today,
		 tui_text(t, TX_DRAFTS), (unsigned long long)t->n_drafts,
		 tui_text(t, TX_WAITING), (unsigned long long)t->n_waiting);
	put(2, 2, COLS - 4, line, A_BOLD);
	if (*t->last_sync) {
		char when[64];

		/* to the minute: "23/11/2026 13:44 UTC" */
		snprintf(line, sizeof(line), "%s: %.16s UTC",
			 tui_text(t, TX_LAST_SYNC),
			 dmy(t->last_sync, when, sizeof(when)));
	} else {
		snprintf(line, sizeof(line), "%s: %s",
			 tui_text(t, TX_LAST_SYNC), tui_text(t, TX_NEVER));
	}
	put(3, 2, COLS - 4, line, a_hint);
	/* the supervisor's note of the highlighted row takes three lines
	 * under the list while anything is returned */
	if (t->n_returned && height > 4) {
		height -= 3;
	}
	/* name, then the date (16 columns), then the status (12 or less) */
	name_w = COLS - 38 < 8 ? 8 : COLS - 38 > 44 ? 44 : COLS - 38;
	scroll_to(t->sel, height, &t->top);
	for (size_t i = t->top; i < t->n_rows + 1 && i < t->top + height; i++) {
		int y = list_y + (int)(i - t->top);
		attr_t a = i == t->sel ? a_sel : A_NORMAL;

		if (i == 0) {
			snprintf(line, sizeof(line), "+ %s",
				 tui_text(t, TX_NEW));
		} else {
			const struct tui_home_row *r = &t->rows[i - 1];
			char when[20];

			char buf[64];

			/* "01/05/2024 12:34" of the UTC time stamp */
			snprintf(when, sizeof(when), "%.16s",
				 dmy(r->updated, buf, sizeof(buf)));
			/* columns placed by screen position, not padded by
			 * bytes: an accented name is as wide as it looks */
			if (i == t->sel) {
				attron(a);
				mvhline(y, 1, ' ', COLS - 2);
				attroff(a);
			}
			put(y, 2, 1,
			    r->returned			     ? "↩"
			    : r->status == CAMPO_STORE_DRAFT ? "*"
							     : " ",
			    a);
			put(y, 4, name_w, r->name, a);
			put(y, 5 + name_w, 16, when, a);
			if (COLS - 24 - name_w > 0) {
				put(y, 22 + name_w, COLS - 24 - name_w,
				    tui_text(t, TX_ST_DRAFT + (int)r->status),
				    a);
			}
			continue;
		}
		if (i == t->sel) {
			attron(a);
			mvhline(y, 1, ' ', COLS - 2);
			attroff(a);
		}
		put(y, 2, COLS - 4, line, a);
	}
	if (t->n_returned && t->sel > 0 && t->sel <= t->n_rows &&
	    t->rows[t->sel - 1].returned) {
		snprintf(line, sizeof(line), "↩ %s:", tui_text(t, TX_NOTE));
		put(LINES - 5, 2, COLS - 4, line, A_BOLD);
		wrap(LINES - 4, 4, COLS - 6, 2, t->rows[t->sel - 1].note,
		     A_NORMAL);
	}
	status_line(t);
	bar(LINES - 1, tui_text(t, TX_KEYS_HOME), "");
}

/* The label of the group the field is in, or "". */
static const char *section(const struct tui *t, const struct campo_field *f)
{
	size_t lang = campo_session_language(t->s);

	for (int32_t p = f ? f->parent : -1; p >= 0;
	     p = t->form->fields[p].parent) {
		const struct campo_field *g = &t->form->fields[p];

		if (g->type == CAMPO_TYPE_GROUP) {
			const char *l =
				campo_i18n_get(t->form, &g->label, lang);
			return l ? l : g->name;
		}
	}
	return "";
}

static void header(struct tui *t, const struct campo_session_question *q)
{
	char right[64];
	char ctx[512];
	size_t answered = 0;
	size_t relevant = 0;
	size_t n_lang = 0;
	const char *const *langs = campo_session_languages(t->s, &n_lang);
	size_t lang = campo_session_language(t->s);

	campo_session_progress(t->s, &answered, &relevant);
	snprintf(right, sizeof(right), "%s  %zu/%zu%s",
		 lang < n_lang ? langs[lang] : "", answered, relevant,
		 campo_session_status(t->s) != CAMPO_STORE_DRAFT ? "  RO" : "");
	bar(0, form_title(t), right);
	if (q->repeat_pos > 0) {
		char of[32];

		if (q->repeat_count > 0) {
			snprintf(of, sizeof(of), " %u %s %u", q->repeat_pos,
				 tui_text(t, TX_OF), q->repeat_count);
		} else {
			snprintf(of, sizeof(of), " %u", q->repeat_pos);
		}
		snprintf(ctx, sizeof(ctx), "%s%s%s%s%s%s", section(t, q->field),
			 *section(t, q->field) ? " > " : "", q->repeat_label,
			 of, *q->member_name ? ": " : "", q->member_name);
	} else {
		snprintf(ctx, sizeof(ctx), "%s", section(t, q->field));
	}
	put(1, 1, COLS - 2, ctx, a_hint | A_BOLD);
	if (relevant > 0) {
		int w = (int)((size_t)(COLS - 2) * answered / relevant);
		mvhline(2, 1, ACS_HLINE, w);
	}
}

static void draw_choices(struct tui *t, const struct campo_session_question *q,
			 int y, int height)
{
	bool multi = q->field->type == CAMPO_TYPE_SELECT_MULTIPLE;

	if (t->edit.len || q->n_choices > 9) {
		char f[CAMPO_TUI_EDIT_MAX + 64];

		snprintf(f, sizeof(f), "%s: %s", tui_text(t, TX_FILTER),
			 t->edit.text);
		put(y, 4, COLS - 6, f, a_hint);
		y++;
		height--;
	}
	if (height < 1) {
		return;
	}
	scroll_to(t->sel, (size_t)height, &t->top);
	for (size_t i = t->top; i < t->n_match && i < t->top + (size_t)height;
	     i++) {
		const struct campo_session_choice *c = &q->choices[t->match[i]];
		char line[1024];
		int row = y + (int)(i - t->top);
		size_t digit = i - t->top + 1;
		/* an untouched single select highlights nothing: Enter
		 * leaves it unanswered */
		attr_t a =
			i == t->sel && (multi || t->picked) ? a_sel : A_NORMAL;

		snprintf(line, sizeof(line), "%c %s %s",
			 digit <= 9 && !t->edit.len ? (char)('0' + digit) : ' ',
			 multi ? (c->selected ? "[x]" : "[ ]")
			       : (c->selected ? "(*)" : "( )"),
			 c->label);
		put(row, 4, COLS - 6, line, a);
	}
}

static void draw_review(struct tui *t, bool index)
{
	const struct campo_session_item *items;
	size_t n = 0;
	int y = 3;
	char when[64];
	size_t height = LINES > 6 ? (size_t)(LINES - 6) : 1;

	if (campo_session_review(t->s, &items, &n) != CAMPO_OK) {
		return;
	}
	put(y++, 1, COLS - 2,
	    index ? tui_text(t, TX_INDEX) : tui_text(t, TX_REVIEW), a_label);
	if (t->sel >= n) {
		t->sel = n ? n - 1 : 0;
	}
	scroll_to(t->sel, height, &t->top);
	for (size_t i = t->top; i < n && i < t->top + height; i++) {
		const struct campo_session_item *it = &items[i];
		int row = y + (int)(i - t->top);
		int lw = COLS / 2 - 4;
		attr_t a = i == t->sel ? a_sel : A_NORMAL;
		const char *mark = it->missing	 ? tui_text(t, TX_MISSING)
				   : it->invalid ? tui_text(t, TX_INVALID)
						 : "";

		if (index && !it->reached) {
			a = a_hint;
		}
		mvaddstr(row, 1, it->missing || it->invalid ? "!" : " ");
		put(row, 3, lw, it->label, a);
		if (*mark) {
			put(row, 4 + lw, COLS - 5 - lw, mark, a_error);
		} else {
			const char *v = it->display;

			if (it->field &&
			    (it->field->type == CAMPO_TYPE_DATE ||
			     it->field->type == CAMPO_TYPE_DATETIME)) {
				v = dmy(v, when, sizeof(when));
			}
			put(row, 4 + lw, COLS - 5 - lw, v, A_NORMAL);
		}
	}
}

/* A finalized interview says so where messages go, when there is none. */
static void readonly_line(struct tui *t)
{
	if (campo_session_status(t->s) != CAMPO_STORE_DRAFT && !*t->status) {
		put(LINES - 2, 1, COLS - 2, tui_text(t, TX_READONLY), a_hint);
	}
}

static void draw_question(struct tui *t)
{
	struct campo_session_question q;
	int y = 4;
	int bottom = LINES - 3;
	int cur_y = -1;
	int cur_x = 0;

	if (campo_session_question(t->s, &q) != CAMPO_OK) {
		return;
	}
	header(t, &q);
	if (q.kind == CAMPO_SESSION_END || t->screen == TUI_INDEX) {
		draw_review(t, t->screen == TUI_INDEX);
		readonly_line(t);
		status_line(t);
		bar(LINES - 1,
		    t->screen == TUI_INDEX ? tui_text(t, TX_INDEX)
		    : campo_session_status(t->s) != CAMPO_STORE_DRAFT
			    ? tui_text(t, TX_KEYS_FROZEN)
			    : tui_text(t, TX_KEYS_REVIEW),
		    "");
		return;
	}
	if (q.kind == CAMPO_SESSION_PROMPT) {
		char line[512];

		snprintf(line, sizeof(line), "%s %s", q.repeat_label,
			 tui_text(t, TX_ADD_ANOTHER));
		y += wrap(y, 2, COLS - 4, 3, line, a_label) + 1;
		put(y, 4, COLS - 6, tui_text(t, TX_ADD),
		    t->sel == 0 ? a_sel : A_NORMAL);
		put(y + 1, 4, COLS - 6, tui_text(t, TX_NO_MORE),
		    t->sel == 1 ? a_sel : A_NORMAL);
	} else {
		y += wrap(y, 2, COLS - 4, bottom - y - 2, q.label, a_label);
		if (q.required) {
			addstr(" *");
		}
		if (*q.hint) {
			y += wrap(y, 2, COLS - 4, 3, q.hint, a_hint);
		}
		y++;
		if (is_select_type(q.field->type)) {
			draw_choices(t, &q, y, bottom - y);
		} else if (q.field->type == CAMPO_TYPE_ACKNOWLEDGE) {
			char line[256];

			snprintf(line, sizeof(line), "%s  %s",
				 *q.value ? "[x]" : "[ ]", tui_text(t, TX_ACK));
			put(y, 4, COLS - 6, line, A_NORMAL);
		} else if (q.type->has_value) {
			const char *text = t->edit.text;
			int width = COLS - 8;
			int before = 0;

			int fmt = q.field->type == CAMPO_TYPE_DATE ? TX_FMT_DATE
				  : q.field->type == CAMPO_TYPE_TIME
					  ? TX_FMT_TIME
				  : q.field->type == CAMPO_TYPE_DATETIME
					  ? TX_FMT_DATETIME
					  : -1;

			if (fmt >= 0) {
				const char *f = tui_text(t, fmt);
				int fw = width_of(f, strlen(f));

				put(y - 1, COLS - 4 - fw, fw, f, a_hint);
			}
			before = width_of(text, t->edit.cur);
			/* keep the cursor in view on long answers */
			while (before >= width) {
				uint32_t c;
				size_t n = campo_tui_utf8_decode(
					text, strlen(text), &c);
				before -= cols(c);
				text += n;
			}
			attron(A_UNDERLINE);
			mvhline(y, 4, ' ', width);
			attroff(A_UNDERLINE);
			put(y, 4, width, text, A_UNDERLINE);
			cur_y = y;
			cur_x = 4 + before;
		}
	}
	readonly_line(t);
	status_line(t);
	bar(LINES - 1, tui_text(t, TX_KEYS_Q), "");
	if (cur_y >= 0 && t->dialog == TUI_DLG_NONE) {
		move(cur_y, cur_x);
		curs_set(1);
	}
}

struct help_ctx {
	int y;
};

static void help_line(void *ctx, const char *keys, const char *what)
{
	struct help_ctx *h = ctx;

	if (h->y < LINES - 2) {
		put(h->y, 2, 20, keys, A_BOLD);
		put(h->y, 24, COLS - 26, what, A_NORMAL);
		h->y++;
	}
}

static void draw_help(struct tui *t)
{
	struct help_ctx h = { .y = 3 };

	bar(0, form_title(t), "F1");
	put(2, 2, COLS - 4, tui_text(t, TX_HELP), a_label);
	tui_help_lines(t, help_line, &h);
}

static void draw_dialog(struct tui *t)
{
	const char *text = "";
	int w = COLS - 10 < 60 ? COLS - 10 : 60;
	int y = LINES / 2 - 3;
	int x = (COLS - w) / 2;

	switch (t->dialog) {
	case TUI_DLG_PENDING:
		text = campo_session_pending(t->s);
		break;
	case TUI_DLG_REMOVE:
		text = tui_text(t, TX_REMOVE_Q);
		break;
	case TUI_DLG_FINALIZE:
		text = tui_text(t, TX_FINALIZE_Q);
		break;
	case TUI_DLG_DISCARD:
		text = tui_text(t, TX_DISCARD_Q);
		break;
	case TUI_DLG_REVISE:
		text = tui_text(t, TX_REVISE_Q);
		break;
	case TUI_DLG_CORRECT:
		text = tui_text(t, TX_CORRECT_Q);
		break;
	case TUI_DLG_NONE:
		return;
	}
	attron(a_bar);
	for (int i = 0; i < 6; i++) {
		mvhline(y + i, x, ' ', w);
	}
	attroff(a_bar);
	wrap(y + 1, x + 2, w - 4, 3, text, a_bar);
	if (t->dialog == TUI_DLG_PENDING) {
		put(y + 4, x + 2, w - 4, tui_text(t, TX_YESNO), a_bar);
	}
}

void tui_draw(struct tui *t)
{
	erase();
	curs_set(0);
	if (LINES < 10 || COLS < 40) {
		mvaddstr(0, 0, "terminal too small (80x24 needed)");
	} else {
		switch (t->screen) {
		case TUI_SETUP:
			draw_setup(t);
			move(4 + 2 * t->setup_field,
			     SETUP_X + width_of(t->edit.text, t->edit.cur));
			curs_set(1);
			break;
		case TUI_HOME:
			draw_home(t);
			break;
		case TUI_QUESTION:
		case TUI_INDEX:
			draw_question(t);
			break;
		case TUI_HELP:
			draw_help(t);
			break;
		}
		draw_dialog(t);
	}
	wnoutrefresh(stdscr);
	doupdate();
}
