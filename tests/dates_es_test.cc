// The date stage in Spanish, on sentences as Spanish newsletters write them.
#include <gtest/gtest.h>

#include "tests/dates_test_util.h"

namespace newsevents {
namespace {

using testing_dates::DateCase;
using testing_dates::Dates;
using testing_dates::DocumentDates;
using testing_dates::Event;

const DateCase kSpanish[] = {
    {"Del 7 al 9 de marzo de 2023, el CIPC tuvo el placer de participar en la Cumbre Mundial "
     "de Policía.",
     "7 al 9 de marzo de 2023=2023-03-07/2023-03-09"},
    {"La Primera Conferencia Interamericana se llevó a cabo en línea del 21 al 22 de noviembre "
     "de 2023.",
     "21 al 22 de noviembre de 2023=2023-11-21/2023-11-22"},
    {"El 24 de julio de 2024, tuvimos el placer de compartir nuestra experiencia en Querétaro.",
     "24 de julio de 2024=2024-07-24"},
    {"La fecha límite para postular es el 30 de julio de 2021.", "30 de julio de 2021=2021-07-30"},
    {"El CIPC viajó a París los días 11 y 12 de octubre de 2022 para un seminario.",
     "11 y 12 de octubre de 2022=2022-10-11/2022-10-12"},
    {"Los talleres se realizaron el 21 y 22 de noviembre en Bogotá.",
     "21 y 22 de noviembre=XXXX-11-21/XXXX-11-22"},
    {"El 1º de mayo de 2021, la Fundación Pasos Libres lanzó el DataJam.",
     "1º de mayo de 2021=2021-05-01"},
    {"El 1.º de junio de 2022 entró en vigor la nueva ley.", "1.º de junio de 2022=2022-06-01"},
    {"El lunes 20 de noviembre de 2023 asistimos a un evento de la Oficina Internacional.",
     "20 de noviembre de 2023=2023-11-20"},
    {"La sesión se celebrará del 30 de marzo al 2 de abril de 2023 en Viena.",
     "30 de marzo al 2 de abril de 2023=2023-03-30/2023-04-02"},
    {"El programa se desarrolló del 28 de diciembre de 2023 al 3 de enero de 2024.",
     "28 de diciembre de 2023 al 3 de enero de 2024=2023-12-28/2024-01-03"},
    {"El congreso, previsto del 20 al 27 de abril de 2020, fue aplazado al 7-12 de marzo de 2021.",
     "20 al 27 de abril de 2020=2020-04-20/2020-04-27 | 7-12 de marzo de 2021=2021-03-07/"
     "2021-03-12"},
    {"La auditoría local de seguridad estará terminada en junio de 2021.",
     "junio de 2021=2021-06"},
    {"En misión en Europa durante el mes de mayo del 2022, el CIPC se reunió con sus socios.",
     "mayo del 2022=2022-05"},
    {"Lea el comunicado de prensa (abril 2021)", "abril 2021=2021-04"},
    {"La encuesta se realizó de junio a agosto de 2022.",
     "junio a agosto de 2022=2022-06/2022-08"},
    {"Durante el otoño de 2022, el CIPC participó en la reunión de coordinación.",
     "el otoño de 2022=2022-09/2022-11"},
    {"La estrategia se revisará en la primavera de 2024.", "primavera de 2024=2024-03/2024-05"},
    {"Entre 2023 y 2025, el proyecto apoyará a los municipios.", "2023 y 2025=2023/2025"},
    {"Un plan de acción para el período 2023-2025 fue adoptado en 2023.",
     "2023-2025=2023/2025 | 2023=2023"},
    {"Desde 2019, esta colaboración busca mejorar el diálogo entre la policía y la población.",
     "2019=2019"},
    {"Fundada en 1990, la UBP se distingue por su enfoque multisectorial.", "1990=1990"},
    {"Fue, entre 2019 y 2020, consultor principal de la Gendarmería (2019-2020).",
     "2019 y 2020=2019/2020 | 2019-2020=2019/2020"},
    {"Los datos abarcan de 2015 a 2020.", "2015 a 2020=2015/2020"},
    {"Los resultados se presentarán a principios de marzo y a mediados de junio de 2023.",
     "marzo=2023-03 | junio de 2023=2023-06"},
    {"Actualizado el 07/03/2023.", "07/03/2023=2023-03-07"},
    {"Publicado el 2023-03-07 en nuestro sitio.", "2023-03-07=2023-03-07"},
    {"El CIPC participó en la última reunión 2023 de la red RAPS", "2023=2023"},
    {"El Laboratorio, implementado en 2020, sigue activo.", "2020=2020"},
    {"El 17 de mayo de 2022, la directora se reunió con el Tribunal, y el 23 de mayo con la "
     "Unión Internacional.",
     "17 de mayo de 2022=2022-05-17 | 23 de mayo=2022-05-23"},
    // No son fechas.
    {"Ann Champoux presentó el trabajo del CIPC durante casi 30 años.", ""},
    {"Duración: curso acelerado de 2 días, un proyecto de tres años.", ""},
    {"Un proyecto para jóvenes de 12 a 25 años, incluidos 4 jóvenes menores de 30 años.", ""},
    {"Para ver la intervención de Oscar Figueroa (22min10-1h16):", ""},
    {"El CIPC asistió a la 7ª Reunión de Autoridades Nacionales y a la 24ª edición.", ""},
    {"info@cipc-icpc.org +1-514-288-6731", ""},
    {"Cada equipo recibió $2000 y asistieron unos 1500 participantes.", ""},
    {"En su resolución 72/192, la Asamblea General decidió.", ""},
    {"Día 1 - USLab: un modelo. El impacto de la COVID-19 en el transporte.", ""},
    {"La Nueva Agenda Urbana y la Agenda 2030 para el Desarrollo Sostenible.", ""},
    {"Nuestra oficina en la Calle 2050 de Bogotá recibe al público.", ""},
    {"Las Madres de Plaza de Mayo celebraron el Cinco de Mayo; el otoño de la vida.", ""},
    {"Fue la última reunión del año, en los años 1990.", ""},
};

TEST(DatesSpanish, Mentions) {
  for (const DateCase& c : kSpanish) EXPECT_EQ(Dates("es", c.text), c.expected) << c.text;
}

TEST(DatesSpanish, YearlessDates) {
  EXPECT_EQ(Dates("es", "El 14 de junio, el CIPC tuvo el placer de asistir a la reunión."),
            "14 de junio=XXXX-06-14");
  EXPECT_EQ(Dates("es", "La última edición, que tuvo lugar en junio, se centró en el análisis."),
            "junio=XXXX-06");
  EXPECT_EQ(Dates("es", "El DataJam tendrá lugar a escala mundial en el otoño, y por último."),
            "el otoño=XXXX-09/XXXX-11");
  EXPECT_EQ(Dates("es", "El CIPC coorganiza este año una serie de seminarios web."), "");
}

TEST(DatesSpanish, Resolution) {
  EXPECT_EQ(DocumentDates("es", {{"El 14 de junio, el CIPC asistió a la reunión.", "2022"}})[0],
            "14 de junio=2022-06-14");
  EXPECT_EQ(Dates("es", "El 14 de diciembre, tuvimos el placer de asistir al lanzamiento.",
                  "2024-02-05"),
            "14 de diciembre=2023-12-14");
  EXPECT_EQ(Dates("es", "El foro se inaugurará el 3 de marzo.", "2024-11-20"),
            "3 de marzo=2025-03-03");
  EXPECT_EQ(Dates("es", "El año pasado, el Centro publicó un informe; el próximo año publicará "
                        "otro, en la próxima primavera.",
                  "2024-05-02"),
            "El año pasado=2023 | el próximo año=2025 | la próxima primavera=2025-03/2025-05");
  EXPECT_EQ(Dates("es", "El viernes 4 de junio, al final del DataJam, se anunciaron los ganadores.",
                  "2024-04-17"),
            "4 de junio=2021-06-04");
  std::vector<std::string> d =
      DocumentDates("es", {{"El 24 de julio, compartimos nuestra experiencia.", ""},
                           {"Se celebró una reunión el 17 de abril de 2024.", ""}});
  EXPECT_EQ(d[0], "24 de julio=2024-07-24");
}

TEST(DatesSpanish, EventDates) {
  EXPECT_EQ(Event("es", "El 8 de junio de 2021, el CIPC fue invitado por el Foro Europeo."),
            "2021-06-08");
  EXPECT_EQ(Event("es", "El CIPC participó en la Conferencia, que se llevó a cabo en línea del 21 "
                        "al 22 de noviembre de 2023."),
            "2023-11-21/2023-11-22");
  EXPECT_EQ(Event("es", "El CIPC busca un analista. Las candidaturas deben enviarse a más tardar "
                        "el 5 de febrero de 2024."),
            "2024-02-05");
  EXPECT_EQ(Event("es", "El CIPC se reunió con actores locales. La auditoría estará terminada en "
                        "junio de 2021."),
            "none");
  EXPECT_EQ(Event("es", "Fundado en 1994, el CIPC está activo en Montreal desde 2020."), "none");
  EXPECT_EQ(Event("es", "El Congreso, previsto en Kioto del 20 al 27 de abril de 2020, ha sido "
                        "aplazado al 7-12 de marzo de 2021."),
            "2021-03-07/2021-03-12");
  EXPECT_EQ(Event("es", "Lea el comunicado de prensa (abril 2021)"), "2021-04");
  EXPECT_EQ(Event("es", "En 2023, el CIPC apoyó al equipo de la STM en sus marchas "
                        "exploratorias."),
            "2023");
}

}  // namespace
}  // namespace newsevents
