// The date stage in French, on sentences as French newsletters write them.
#include <gtest/gtest.h>

#include "tests/dates_test_util.h"

namespace newsevents {
namespace {

using testing_dates::DateCase;
using testing_dates::Dates;
using testing_dates::DocumentDates;
using testing_dates::Event;

const DateCase kFrench[] = {
    {"Du 7 au 9 mars 2023, le CIPC a eu le plaisir de participer au Sommet mondial de la police.",
     "7 au 9 mars 2023=2023-03-07/2023-03-09"},
    {"La première Conférence interaméricaine s'est tenue en ligne du 21 au 22 novembre 2023.",
     "21 au 22 novembre 2023=2023-11-21/2023-11-22"},
    {"Le 8 juin 2021, le CIPC a été invité par le Forum européen pour la sécurité urbaine.",
     "8 juin 2021=2021-06-08"},
    {"La date limite pour postuler est le 30 juillet 2021.", "30 juillet 2021=2021-07-30"},
    {"Le CIPC s'est rendu à Paris les 11 et 12 octobre 2022 pour un séminaire.",
     "11 et 12 octobre 2022=2022-10-11/2022-10-12"},
    {"Les 5 et 6 octobre 2022, les membres du réseau se sont réunis à Lille.",
     "5 et 6 octobre 2022=2022-10-05/2022-10-06"},
    {"Le 1er mai 2021, la Fondation a lancé le DataJam.", "1er mai 2021=2021-05-01"},
    {"Lundi 20 novembre 2023, nous avons assisté à un événement organisé par le BICE.",
     "20 novembre 2023=2023-11-20"},
    {"La session se tiendra du 30 mars au 2 avril 2023 à Vienne.",
     "30 mars au 2 avril 2023=2023-03-30/2023-04-02"},
    {"Le programme s'est déroulé du 28 décembre 2023 au 3 janvier 2024.",
     "28 décembre 2023 au 3 janvier 2024=2023-12-28/2024-01-03"},
    {"Le congrès, prévu du 20 au 27 avril 2020, a été reporté au 7-12 mars 2021.",
     "20 au 27 avril 2020=2020-04-20/2020-04-27 | 7-12 mars 2021=2021-03-07/2021-03-12"},
    {"L'audit local de sécurité sera terminé en juin 2021.", "juin 2021=2021-06"},
    {"En mission en Europe au cours du mois de mai 2022, le CIPC a rencontré ses partenaires.",
     "mai 2022=2022-05"},
    {"Lire le communiqué de presse (avril 2021)", "avril 2021=2021-04"},
    {"L'enquête a été menée de juin à août 2022.", "juin à août 2022=2022-06/2022-08"},
    {"À l'automne 2022, le CIPC a participé à la réunion de coordination.",
     "l'automne 2022=2022-09/2022-11"},
    {"La stratégie sera révisée au printemps 2024.", "printemps 2024=2024-03/2024-05"},
    {"Ce plan d'action couvre la période de 2023 à 2025.", "2023 à 2025=2023/2025"},
    {"Un plan d'action pour la période 2023-2025 a été adopté en 2023.",
     "2023-2025=2023/2025 | 2023=2023"},
    {"Depuis 2019, cette collaboration vise à améliorer le dialogue police-population.",
     "2019=2019"},
    {"Fondée en 1990, l'UBP se distingue par son approche multisectorielle.", "1990=1990"},
    {"Il a été, entre 2019 et 2020, consultant principal pour la Gendarmerie (2019-2020).",
     "2019 et 2020=2019/2020 | 2019-2020=2019/2020"},
    {"Les résultats seront présentés début mars, puis à la mi-juin 2023.",
     "mars=2023-03 | mi-juin 2023=2023-06"},
    {"Mis à jour le 07/03/2023.", "07/03/2023=2023-03-07"},
    {"Publié le 2023-03-07 sur notre site.", "2023-03-07=2023-03-07"},
    {"Le CIPC a pris part à la dernière rencontre 2023 du RAPS", "2023=2023"},
    {"Les données de l'UCR 2.2 ont été recueillies en 2020.", "2020=2020"},
    {"La réforme, lancée à la mi-2023, se poursuit.", "mi-2023=2023"},
    {"Les participants se réuniront du 4 au 6 octobre 2020 à Paris.",
     "4 au 6 octobre 2020=2020-10-04/2020-10-06"},
    {"Le mardi 17 mai 2022, le Centre a rencontré le Tribunal judiciaire de Bordeaux, puis "
     "l'Union internationale des transports publics le 23 mai.",
     "17 mai 2022=2022-05-17 | 23 mai=2022-05-23"},
    // Pas des dates.
    {"Ann Champoux a présenté le travail du CIPC depuis près de 30 ans.", ""},
    {"Durée : formation accélérée de 2 jours, un projet de trois ans.", ""},
    {"Un projet pour les jeunes âgés de 12 à 25 ans, dont 4 jeunes de moins de 30 ans.", ""},
    {"Pour voir l'intervention d'Oscar Figueroa (22min10-1h16) :", ""},
    {"Le CIPC a assisté à la 7e Réunion des autorités nationales et à la 24e édition.", ""},
    {"info@cipc-icpc.org +1-514-288-6731", ""},
    {"Chaque équipe a reçu 2 000 $ et 1500 participants étaient présents.", ""},
    {"Dans sa résolution 72/192, l'Assemblée générale a décidé.", ""},
    {"Jour 1 - USLab : un modèle. L'impact de la COVID-19 sur les transports.", ""},
    {"Le Nouveau Programme pour les villes et l'Agenda 2030 du développement durable.", ""},
    {"Nos bureaux au 2050, rue de Bleury accueillent le public.", ""},
    {"La planète Mars et Mai Nguyen ; l'automne de la vie.", ""},
    {"C'était la dernière réunion de l'année dans les années 1990.", ""},
};

TEST(DatesFrench, Mentions) {
  for (const DateCase& c : kFrench) EXPECT_EQ(Dates("fr", c.text), c.expected) << c.text;
}

TEST(DatesFrench, YearlessDates) {
  EXPECT_EQ(Dates("fr", "Le 14 juin, le CIPC a eu le plaisir d'assister à la réunion."),
            "14 juin=XXXX-06-14");
  EXPECT_EQ(Dates("fr", "La dernière édition, qui a eu lieu en juin, portait sur l'analyse."),
            "juin=XXXX-06");
  EXPECT_EQ(Dates("fr", "De retour en mission en Europe pour le mois d'octobre, le CIPC."),
            "octobre=XXXX-10");
  EXPECT_EQ(Dates("fr", "Le DataJam aura lieu à l'échelle mondiale à l'automne, et enfin."),
            "l'automne=XXXX-09/XXXX-11");
  EXPECT_EQ(Dates("fr", "Le CIPC coorganise cette année une série de webinaires."), "");
}

TEST(DatesFrench, Resolution) {
  EXPECT_EQ(DocumentDates("fr", {{"Le 14 juin, le CIPC a assisté à la réunion.", "2022"}})[0],
            "14 juin=2022-06-14");
  EXPECT_EQ(Dates("fr", "Le 14 décembre, nous avons assisté au lancement.", "2024-02-05"),
            "14 décembre=2023-12-14");
  EXPECT_EQ(Dates("fr", "Le forum s'ouvrira le 3 mars.", "2024-11-20"), "3 mars=2025-03-03");
  EXPECT_EQ(Dates("fr", "L'an dernier, le Centre a publié un rapport ; l'année prochaine, il en "
                        "publiera un autre, au printemps prochain.",
                  "2024-05-02"),
            "L'an dernier=2023 | l'année prochaine=2025 | printemps prochain=2025-03/2025-05");
  EXPECT_EQ(Dates("fr", "Vendredi 4 juin, à la fin du DataJam, les gagnants ont été annoncés.",
                  "2024-04-17"),
            "4 juin=2021-06-04");
  std::vector<std::string> d =
      DocumentDates("fr", {{"Le 24 juillet, nous avons partagé notre expertise.", ""},
                           {"Une rencontre a eu lieu le 17 avril 2024.", ""}});
  EXPECT_EQ(d[0], "24 juillet=2024-07-24");
  EXPECT_EQ(Dates("fr", "Le 30 octobre 2023, le CIPC a participé à une réunion. Le 12 décembre, "
                        "il a pris part au premier webinaire."),
            "30 octobre 2023=2023-10-30 | 12 décembre=2023-12-12");
}

TEST(DatesFrench, EventDates) {
  EXPECT_EQ(Event("fr", "Le 8 juin 2021, le CIPC a été invité par le Forum européen."),
            "2021-06-08");
  EXPECT_EQ(Event("fr", "Le CIPC a participé à la Conférence, qui s'est tenue en ligne du 21 au "
                        "22 novembre 2023."),
            "2023-11-21/2023-11-22");
  EXPECT_EQ(Event("fr", "Le CIPC recrute. Les candidatures doivent être envoyées au plus tard le "
                        "5 février 2024."),
            "2024-02-05");
  EXPECT_EQ(Event("fr", "Le CIPC a rencontré des acteurs locaux. L'audit sera terminé en juin "
                        "2021."),
            "none");
  EXPECT_EQ(Event("fr", "Fondé en 1994, le CIPC est actif à Montréal depuis 2020."), "none");
  EXPECT_EQ(Event("fr", "Le Congrès, qui devait se tenir à Kyoto du 20 au 27 avril 2020, a été "
                        "reporté au 7-12 mars 2021."),
            "2021-03-07/2021-03-12");
  EXPECT_EQ(Event("fr", "Lire le communiqué de presse (avril 2021)"), "2021-04");
  EXPECT_EQ(Event("fr", "En 2023, le CIPC a accompagné l'équipe de la STM dans ses marches "
                        "exploratoires."),
            "2023");
}

}  // namespace
}  // namespace newsevents
