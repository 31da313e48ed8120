"""The words of names: common given names, titles, particles, patronymic and family endings.

All folded as :func:`briefgen.names_guard.fold` folds (lower case, no accents, ə as "e").

The leak guard (:mod:`briefgen.names_guard`) refuses a public text that names a confidential
case by a distinctive part of the name, but only warns about a given name on
:data:`COMMON_GIVEN_NAMES`: "Ali" or "Anna" alone says little about who is meant. The list
holds the most frequent given names (and their usual Latin spellings) where the people this
tool writes about live: Azerbaijan, Turkey, Central Asia, Russia, Ukraine and Belarus, the
Caucasus, the Arabic- and Persian-speaking world, and Europe. A given name that is not there
counts as rare: naming it is an error, as for a family name.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_NAMES = """
abbas abdul abdullah abdulla abdullo abdurahman abdurakhmon abil adil adem adam adel adila
afag afaq afet afsana agil agshin ahmad ahmed ahmet akbar akmal akram ali aliya alia alim
alisher alla almaz altynai amal amina amin amir anar anara anvar anvar arif arifa arzu asad
asel asif asiya aslan ayan aybek aydin aygul aygun aynur aysel aysu ayten aziz aziza
bahodir bakhtiyor bakyt bayram bahram behruz bekzod bilal botir dilnoza dilshod dilbar
elchin elcin elmar elmira elnur elvin elvira emin emil emin eldar elshan elshad elnara
emil erkin eldor farhad farid farida feride ferid fariza fatima fatma fazil firuza
gulnara gulnora gulshan gunel gulnar gulchehra habib hamid hasan hassan hussein husein
huseyn huseyin hikmet hikmat ibrahim ilham ilgar ilqar ilkin ilyas iskander isa ismail
ismayil jamal jamila javid javad jahongir kamal kamran kamil karim kerim khadija khalid
kamola laylo leyla layla lola madina malika mansur marat mariam maryam mehdi mehriban
mirza mohammad mohammed muhammad muhammed mahammad mammad memmed mahmud murad murat
mustafa nargiz nargis narmin nasib nasir nazim nigar nilufar nodir nurlan nuriddin nigora
omar omer orxan orkhan otabek parviz parvin rahim rahman rahima ramil ramiz rashid rasul
rauf rawshan rovshan ravshan rustam ruslan saida said salim samir sanjar sardor sarvar
sevda sevinj sevinc shahin shohruh sherzod sitora sabina sabir sadig sahib sakina samira
seymur shahla sherali tahir timur togrul tural turan ulvi umid vugar vusal yusif yusuf
zafar zahra zehra zarina zaur zeynab zaynab zulfiya zulfugar ziyad ziyoda
aleksandr aleksandra aleksei aleksey alexei alexey alexander alexandra alina alyona anastasia
anastasiya andrei andrey anna anton artem artyom boris daria darya denis dmitri dmitry
ekaterina elena evgeni evgeny evgenia galina georgi igor ilya irina ivan kirill konstantin
ksenia larisa lyudmila maksim maxim marina maria mariya mikhail natalia natalya nikita
nikolai nikolay oksana olga oleg pavel polina roman sergei sergey sofia svetlana tatiana
tatyana valentina vadim viktor viktoria vladimir vladislav vyacheslav yana yaroslav yulia
yuliya yuri yury andriy mykola mykhailo oleksandr oleksandra olena petro taras volodymyr
yurii halyna iryna nadia nadezhda vera lyubov zoya giorgi nino davit levan tamar irakli
eka ana mariam armen aram gohar hayk karen lilit narek tigran anahit
ahmad ali hossein hosein hassan reza mohsen mehdi maryam fatemeh zahra narges sara sarah
leila layla nasrin parisa shirin mina mahsa yusuf youssef omar umar khaled khalid ibrahim
abdallah mahmoud mustafa hamza tariq nour noor rania salma huda aisha ayesha mariam
john james robert michael william david richard joseph thomas charles christopher daniel
matthew anthony mark donald steven paul andrew joshua kenneth kevin brian george edward
ronald timothy jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin
scott brandon benjamin samuel frank gregory raymond alexander patrick jack dennis jerry
peter harry henry adam oliver tom ben sam mary patricia jennifer linda elizabeth barbara
susan jessica sarah karen nancy lisa margaret betty sandra ashley dorothy kimberly emily
donna michelle carol amanda melissa deborah stephanie rebecca laura sharon cynthia kathleen
amy shirley angela helen anna ann anne brenda pamela nicole emma samantha katherine
christine debra rachel catherine carolyn janet ruth maria heather diane virginia julie
joyce victoria olivia kelly christina lauren joan evelyn judith megan cheryl andrea hannah
martha jacqueline frances gloria teresa kathryn sara janice jean alice madison doris
abigail julia judy grace denise amber marilyn beverly danielle theresa sophia marie diana
brittany natalie isabella charlotte rose alexis kayla jane claire lucy kate may hope joy
jean pierre michel philippe alain nicolas christophe patrick francois laurent frederic
eric olivier thierry stephane julien sebastien david marie nathalie isabelle sylvie
catherine francoise christine sophie sandrine valerie anne celine julie camille louise
chloe lea manon ines louis hugo lucas jules gabriel arthur paul jacques bernard
hans peter klaus wolfgang michael thomas andreas stefan jurgen juergen frank markus
christian martin matthias sabine ursula monika petra andrea claudia susanne birgit
katharina julia lena laura leonie lukas felix jonas maximilian elias paul ben leon
jose antonio manuel francisco juan javier carlos jesus miguel pedro pablo luis jorge
alejandro fernando sergio ana carmen laura isabel lucia elena cristina marta pilar
giuseppe giovanni marco luca francesco andrea alessandro matteo lorenzo paolo roberto
stefano giulia chiara francesca sara valentina federica alessandra silvia martina
joao pedro tiago rui miguel ricardo sofia beatriz ines mariana
piotr pawel krzysztof tomasz jan andrzej marek michal katarzyna agnieszka malgorzata
barbara ewa magdalena joanna monika petr jiri jana tereza lukas martin
lars anders erik johan karl nils per mats ingrid karin kerstin astrid eva
janos laszlo istvan zoltan gabor ferenc maria erzsebet katalin ildiko
ion mihai andrei alexandru elena ioana georgios dimitris konstantinos nikos eleni
wei li ming hui jun yan lei jing hong ying
mehmet mustafa ahmet ali huseyin hasan ibrahim ismail osman yusuf murat omer ramazan
halil suleyman abdullah mahmut fatma ayse emine hatice zeynep elif meryem sultan
hulya ozlem esra merve kubra ebru burak emre can cem deniz kemal selim serkan tolga
"""

COMMON_GIVEN_NAMES: frozenset[str] = _words(_NAMES)
"""Frequent given names, folded (see the module's docstring for what the list covers)."""

TITLES = _words(
    """mr mrs ms miss mx dr prof professor sir dame lord lady madam madame mme mlle
    mademoiselle monsieur m me maitre herr frau fr hr sayin cenab xanim hanim bey bay bayan
    gospodin gospozha g n zh pan pani sheikh shaykh imam haji hajji mullah mulla ustad
    ustoz domla aka opa judge justice father sister brother rev reverend"""
)
"""Words that go before a name ("Mr Qodirov", "cənab Qodirov"), folded."""

AFTER_TITLES = _words("bey bay xanim hanim muellim muallim aga agha khan xan opa aka")
"""Words that go after a name in Azerbaijani, Turkish and Central Asian usage
("Fəridə xanım")."""

PARTICLES = _words(
    """van von der den de del della delle dei di da das dos do du des la le les el al ul
    bin ibn bint ben bat abu ould mint zu zum zur ter ten te af y e i st saint"""
)
"""Name particles: part of a name, never searched on their own."""

PATRONYMIC_WORDS = _words("oglu ogli ogly ogul qizi kizi gizi gyzy kyzy qyzy uulu uly uli ulu")
"""Separate words that make the word before them a patronymic ("Kərim oğlu")."""

PATRONYMIC_BEFORE = _words("bin ibn bint ben ould mint")
"""Words that make the word after them a patronymic ("bin Salman")."""

PATRONYMIC_SUFFIXES = (
    "ovich", "evich", "ovych", "evych", "ovitch", "yevich", "ievich", "ovna", "evna",
    "yevna", "ievna", "ivna", "ichna", "inichna", "oglu", "ogly", "ogli", "qizi", "kizi",
    "kyzy", "gyzy", "qyzy", "uulu",
)  # fmt: skip
"""Endings of a one-word patronymic ("Tolibovich", "Kərimovna", "Əliqızı")."""

FAMILY_SUFFIXES = (
    "ov", "ova", "ev", "eva", "yev", "yeva", "ski", "ska", "sky", "skaya", "skiy", "zade",
    "zada", "dze", "shvili", "enko", "yan", "yants",
)  # fmt: skip
"""Endings that mark a family name even where a given name would stand ("Qodirov Anvar")."""

GENDER_ENDINGS = (
    ("skaya", "sk"), ("skiy", "sk"), ("ska", "sk"), ("ski", "sk"), ("sky", "sk"),
    ("ova", "ov"), ("eva", "ev"), ("ina", "in"), ("yna", "yn"),
)  # fmt: skip
"""A family name's stem shared by its forms for women and men (Nəsibova, Nəsibov)."""

ENDINGS = _words(
    """s es nin nun in un ni nu ya ye yi yu da de ta te dan den tan ten la le ile lar ler
    om oy ym em ey"""
)
"""Endings after a short name part (three or four letters) that still name the person:
the possessive and plural "s", Azerbaijani and Turkish case endings ("Əlinin" is "Əli"'s,
"Bakıda" is "in Bakı"), some Russian ones. Longer parts match any word they begin."""
