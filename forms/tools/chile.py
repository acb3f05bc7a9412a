"""Chile's regions and comunas, for "where did you first live in Chile".

Regions carry ISO 3166-2 CL subdivision codes (without the "CL-" prefix).
Comunas are complete for the regions where most migrants first settle (the
north and the centre: Arica y Parinacota to Valparaíso, the Metropolitan
Region); the southern regions list their main comunas and end with "another
comuna of the region".
"""

from common import T, choice, same

# code, then the region's name in es, ht, fr, en
REGIONS = [
    ("AP", "Región de Arica y Parinacota", "Rejyon Arica ak Parinacota", "Région d'Arica et Parinacota", "Arica y Parinacota Region"),
    ("TA", "Región de Tarapacá", "Rejyon Tarapacá", "Région de Tarapacá", "Tarapacá Region"),
    ("AN", "Región de Antofagasta", "Rejyon Antofagasta", "Région d'Antofagasta", "Antofagasta Region"),
    ("AT", "Región de Atacama", "Rejyon Atacama", "Région d'Atacama", "Atacama Region"),
    ("CO", "Región de Coquimbo", "Rejyon Coquimbo", "Région de Coquimbo", "Coquimbo Region"),
    ("VS", "Región de Valparaíso", "Rejyon Valparaíso", "Région de Valparaíso", "Valparaíso Region"),
    ("RM", "Región Metropolitana de Santiago", "Rejyon Metwopoliten Santiago", "Région métropolitaine de Santiago", "Santiago Metropolitan Region"),
    ("LI", "Región del Libertador General Bernardo O'Higgins", "Rejyon O'Higgins", "Région du Libertador General Bernardo O'Higgins", "O'Higgins Region"),
    ("ML", "Región del Maule", "Rejyon Maule", "Région du Maule", "Maule Region"),
    ("NB", "Región de Ñuble", "Rejyon Ñuble", "Région de Ñuble", "Ñuble Region"),
    ("BI", "Región del Biobío", "Rejyon Biobío", "Région du Biobío", "Biobío Region"),
    ("AR", "Región de La Araucanía", "Rejyon Araucanía", "Région de l'Araucanie", "La Araucanía Region"),
    ("LR", "Región de Los Ríos", "Rejyon Los Ríos", "Région de Los Ríos", "Los Ríos Region"),
    ("LL", "Región de Los Lagos", "Rejyon Los Lagos", "Région de Los Lagos", "Los Lagos Region"),
    ("AI", "Región de Aysén del General Carlos Ibáñez del Campo", "Rejyon Aysén", "Région d'Aysén", "Aysén Region"),
    ("MA", "Región de Magallanes y de la Antártica Chilena", "Rejyon Magallanes ak Antatik chilyen", "Région de Magallanes et de l'Antarctique chilienne", "Magallanes and Chilean Antarctica Region"),
]

COMUNAS = {
    "AP": ["Arica", "Camarones", "Putre", "General Lagos"],
    "TA": ["Iquique", "Alto Hospicio", "Pozo Almonte", "Camiña", "Colchane",
           "Huara", "Pica"],
    "AN": ["Antofagasta", "Mejillones", "Sierra Gorda", "Taltal", "Calama",
           "Ollagüe", "San Pedro de Atacama", "Tocopilla", "María Elena"],
    "AT": ["Copiapó", "Caldera", "Tierra Amarilla", "Chañaral",
           "Diego de Almagro", "Vallenar", "Alto del Carmen", "Freirina",
           "Huasco"],
    "CO": ["La Serena", "Coquimbo", "Andacollo", "La Higuera", "Paiguano",
           "Vicuña", "Illapel", "Canela", "Los Vilos", "Salamanca", "Ovalle",
           "Combarbalá", "Monte Patria", "Punitaqui", "Río Hurtado"],
    "VS": ["Valparaíso", "Casablanca", "Concón", "Juan Fernández",
           "Puchuncaví", "Quintero", "Viña del Mar", "Isla de Pascua",
           "Los Andes", "Calle Larga", "Rinconada", "San Esteban", "La Ligua",
           "Cabildo", "Papudo", "Petorca", "Zapallar", "Quillota", "La Calera",
           "Hijuelas", "La Cruz", "Nogales", "San Antonio", "Algarrobo",
           "Cartagena", "El Quisco", "El Tabo", "Santo Domingo", "San Felipe",
           "Catemu", "Llaillay", "Panquehue", "Putaendo", "Santa María",
           "Quilpué", "Limache", "Olmué", "Villa Alemana"],
    "RM": ["Santiago", "Cerrillos", "Cerro Navia", "Conchalí", "El Bosque",
           "Estación Central", "Huechuraba", "Independencia", "La Cisterna",
           "La Florida", "La Granja", "La Pintana", "La Reina", "Las Condes",
           "Lo Barnechea", "Lo Espejo", "Lo Prado", "Macul", "Maipú", "Ñuñoa",
           "Pedro Aguirre Cerda", "Peñalolén", "Providencia", "Pudahuel",
           "Quilicura", "Quinta Normal", "Recoleta", "Renca", "San Joaquín",
           "San Miguel", "San Ramón", "Vitacura", "Puente Alto", "Pirque",
           "San José de Maipo", "Colina", "Lampa", "Tiltil", "San Bernardo",
           "Buin", "Calera de Tango", "Paine", "Melipilla", "Alhué",
           "Curacaví", "María Pinto", "San Pedro", "Talagante", "El Monte",
           "Isla de Maipo", "Padre Hurtado", "Peñaflor"],
    "LI": ["Rancagua", "Machalí", "Graneros", "Rengo", "San Vicente",
           "San Fernando", "Santa Cruz", "Pichilemu"],
    "ML": ["Talca", "Curicó", "Linares", "Cauquenes", "Constitución",
           "Molina", "Parral", "San Javier"],
    "NB": ["Chillán", "Chillán Viejo", "San Carlos", "Bulnes", "Quirihue"],
    "BI": ["Concepción", "Talcahuano", "San Pedro de la Paz", "Hualpén",
           "Chiguayante", "Coronel", "Los Ángeles", "Lebu"],
    "AR": ["Temuco", "Padre Las Casas", "Villarrica", "Pucón", "Angol",
           "Victoria"],
    "LR": ["Valdivia", "La Unión", "Panguipulli", "Río Bueno"],
    "LL": ["Puerto Montt", "Puerto Varas", "Osorno", "Castro", "Ancud",
           "Calbuco"],
    "AI": ["Coyhaique", "Aysén", "Chile Chico", "Cochrane"],
    "MA": ["Punta Arenas", "Puerto Natales", "Porvenir", "Cabo de Hornos"],
}

# Regions whose comuna list above is complete.
COMPLETE = {"AP", "TA", "AN", "AT", "CO", "VS", "RM"}


def slug(name):
    import unicodedata
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    out = []
    for ch in s:
        out.append(ch if ch.isalnum() else "_")
    return "_".join(p for p in "".join(out).split("_") if p)


def regions():
    return [choice(code, T(es, ht, fr, en)) for code, es, ht, fr, en in REGIONS]


def comunas():
    out = []
    seen = set()
    for code, *_ in REGIONS:
        for name in COMUNAS[code]:
            c = slug(name)
            if c in seen:  # one comuna name per code; none repeat in Chile
                raise ValueError("duplicate comuna " + c)
            seen.add(c)
            out.append(choice(c, same(name), region=code))
        if code not in COMPLETE:
            out.append(choice("otra_" + code.lower(),
                              T("Otra comuna de la región",
                                "Yon lòt komin nan rejyon an",
                                "Autre commune de la région",
                                "Another comuna of the region"),
                              region=code))
    return out
