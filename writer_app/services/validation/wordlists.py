"""English word lists the checks share with yoastseo 3.6.0 (its English researcher), so matching,
transition words and sentence openings are judged on the same words as Yoast's analysis.

Generated once from the package's English configuration and kept sorted; regenerate only when the
pinned yoastseo version changes (tests/oracle compares the results).
"""

from __future__ import annotations


def _split(text: str, sep: str | None = None) -> frozenset[str]:
    """Words split on whitespace; phrases (sep=",") on commas and line ends."""
    if sep:
        text = text.replace("\n", sep)
    return frozenset(w.strip() for w in text.split(sep) if w.strip())


# Words filtered out of a keyphrase before matching ("how to decorate a room" -> decorate, room).
FUNCTION_WORDS = _split(
    """
    a able ablow aboard about above abreast absent absolutely accordingly across actual actually add
    added adding additionally adds adjacent afore after afterward afterwards again against ago aha
    ahead ahind aka albeit all almost along alongside already also although altogether always am
    amazingly amen amid amidst among amongst an and and/or anear announced announces another
    another's any anybody anybody's anyhow anymore anyone anyone's anything anything's anyway
    anyways apart apparently appear appeared appearing appears apropos apud are aren't around as
    aside ask asked asking asks aslant aspect aspects astride at atop atween available average away
    awesome awful ayond back backward bad based basic basically be beautiful became because become
    becomes becoming been before behind being below beneath beside besides best better between
    beyond big bigger biggest billion billions bit both bottom bu busy but by called came can can't
    cannot case certain certainly chez chiefly circa cl claimed clearly come comes coming commonly
    comparatively complete completely concurrently consequently consist consisted consists
    constantly contain contained containing contains continually contrarily conversely
    correspondingly could could've couldn't current currently dare dared dares daring day days
    definitely despite detail details did didn't difference differences different directly discussed
    discusses dl do does doesn't doing don't done doubtedly down doz dr during e.g e.g. each earlier
    earliest early easier easiest easily easy eight eighteen eighteenth eighth either either's
    eleven eleventh else elsewhere emphatically enough ensure ensured ensures entire equally
    especially estimated etc etcetera eternally even eventually ever every everybody everybody's
    everyone everyone's everything everything's everywhere evidently except explain explained
    explains explicitly expressively expressly extremely f.g f.i factor factors fairly far fast
    faster fastest few fewer fifteen fifteenth fifth finally first firstly five following for
    formerly forthwith forward four fourteen fourteenth fourth fourthly from fully further
    furthermore g generally get gets getting go goes going gone good got gotten granted great had
    hadn't hard harder hardest has hasn't have haven't having he he'd he'll he's hence henceforth
    her here here're here's hereby hereto herewith hers herself high higher highest highly him
    himself his hither hour hours how however howso howsoever hr hundred hundreds i i'd i'll i'm
    i've i.e i.e. idea identically if immediately important in inasmuch incidentally including
    indeed initially instance instances instantly instead into is isn't it it'd it'll it's item
    items its itself jr just keep keeping keeps kept kg kind kinds l large larger largest last
    lastly lately later latest lb least less lest let let's lets letting like likelihood likely
    likewise little long longer longest lot lots low lower lowest made main mainly major make makes
    making many markedly matter may maybe me mean means meant meanwhile mg mid midst might million
    millions mine minus minute minutes ml mod month months more moreover most mostly mr mrs ms mss
    much multiple must my myself namely naturally near nearer nearest nearly neath necessary need
    needn't needs neither neither's never nevertheless new newer newest next nice nicer nicest nine
    nineteen nineteenth ninth no nobody nobody's none nonetheless nor normal not notably nothing
    nothing's notwithstanding now nowadays obvious obviously occasionally of off often oh ok okay
    old older oldest on once one one's ones oneself only onto ontop oops opposite optionally or
    ordinarily other other's others others' otherwise ouch ought our ours ourselves out outen over
    overall own oz part particular particularly partly parts past per percent perhaps person phew
    piece pieces pk please plenty positively possible pre presently previous previously probably
    prof provided pt put puts putting qt qua quart quite rather real really recent recently
    regardless regular regularly relatively remain remained remaining remains said same sans say
    saying says second secondly seconds seem seemed seeming seems seriously setting seven seventeen
    seventeenth seventh several shall shalln't shan't she she'd she'll she's shh short shorter
    shortest shortly should shouldn't showed showing shown significantly similar similarly simple
    simpler simplest simply simultaneously since sithence six sixteen sixteenth sixth slightly small
    smaller smallest so so-called some somebody somebody's someone someone's something something's
    sometimes somewhat somewhere soon sooner sorry special specific specifically spite spk sr stated
    stating stay stayed staying stays still straightaway stuff subsequently such suddenly suggested
    suggests sure surely surprisingly take taken takes talked talks tbs tbsp tells ten tenth than
    that that's the their theirs them theme themselves then thence there there'll there're there's
    thereafter thereby therefor therefore therein thereupon therewith these they they'd they'll
    they're they've thing things think thinks third thirdly thirteen thirteenth this thither those
    though thousand thousands three thrice through throughout thru thus till times tinier tiniest
    tiny to today tofore told tomorrow ton tons too took top totally toward towards tried tries
    truly truout try trying tsk tsk-tsk turn turned turns tut tut-tut twelfth twelve twentieth
    twenty twice two ugh ultimately undeniably under underneath understands understood undoubtedly
    uniquely unless unlike unquestionably until up upon upside us use used using usual usually
    utterly versus very via vis vis-à-vis want was wasn't way ways we we'd we'll we're we've week
    weeks well went were weren't what what's whatever whatso whatsoever when whence whenever whenso
    whensoever where whereas wherein whereso wheresoever wherever wherewith whether whew which
    whichever while whilst whither who whoever whoever's whom whomever whomso whomsoever whose whoso
    whosoever why whyever whyso whysoever widely will with withal within without won't worse worst
    would would've wouldn't wow yea yeah year years yes yesterday yet yikes you you'd you'll you're
    you've young younger youngest your yours yourself yourselves à
    """
)

TRANSITION_WORDS = _split(
    """
    accordingly actually additionally afterward afterwards albeit also although altogether another
    anyhow anyway anyways basically because before besides but certainly chiefly comparatively
    concurrently consequently contrarily conversely correspondingly despite doubtedly during e.g.
    earlier emphatically equally especially eventually evidently explicitly finally firstly
    following formerly forthwith fourthly further furthermore generally hence henceforth however
    i.e. identically if including indeed initially instead last lastly later lest likewise markedly
    meanwhile moreover mostly namely nevertheless nonetheless nor notwithstanding obviously
    occasionally otherwise overall particularly presently previously rather regardless secondly
    shortly significantly similarly simultaneously since so soon specifically still straightaway
    subsequently suddenly surely surprisingly than then thereafter therefore thereupon thirdly
    though thus till undeniably undoubtedly unless unlike unquestionably until when whenever whereas
    whether while
    """
)
TRANSITION_PHRASES = _split(
    """
    above all, according to, after all, after that, all at once, all in all, all of a sudden
    all things considered, although this may be true, analogous to, another key point
    as a matter of fact, as a result, as an illustration, as can be seen, as has been noted
    as i have noted, as i have said, as i have shown, as long as, as much as, as opposed to
    as shown above, as soon as, as well as, at any rate, at first, at last, at least, at length
    at most, at the most, at the present time, at the same time, at this instant, at this point
    at this time, balanced against, be that as it may, being that, by all means, by and large
    by comparison, by the same token, by the time, compared to, coupled with, different from, due to
    either way, equally important, even if, even more, even so, even though, first thing to remember
    for example, for fear that, for instance, for one thing, for that reason, for the most part
    for the purpose of, for the same reason, for this purpose, for this reason, from now on
    from time to time, given that, given these points, important to realize, in a word, in addition
    in another case, in any case, in any event, in brief, in case, in conclusion, in contrast
    in detail, in due time, in effect, in either case, in essence, in fact, in general, in light of
    in like fashion, in like manner, in order that, in order to, in other words, in particular
    in reality, in short, in similar fashion, in spite of, in sum, in summary, in that case
    in the event that, in the final analysis, in the first place, in the fourth place
    in the hope that, in the light of, in the long run, in the meantime, in the same fashion
    in the same way, in the second place, in the third place, in this case, in this situation
    in time, in truth, in view of, inasmuch as, most compelling evidence, most important
    must be remembered, no sooner, not only, not to mention, note that, now that, of course
    on account of, on balance, on condition that, on one hand, on the condition that
    on the contrary, on the negative side, on the other hand, on the positive side, on the whole
    on this occasion, once in a while, only if, owing to, point often overlooked, prior to
    provided that, seeing that, so as to, so far, so long as, so that, sooner or later, such as
    summing up, take the case of, that is, that is to say, then again, this time, to be sure
    to begin with, to clarify, to conclude, to demonstrate, to emphasize, to enumerate, to explain
    to illustrate, to list, to point out, to put it another way, to put it differently, to repeat
    to rephrase it, to say nothing of, to sum up, to summarize, to that end, to the end that
    to this end, together with, under those circumstances, until now, up against
    up to the present time, vis a vis, what is more, what's more, while it may be true
    while this may be true, with attention to, with the result that, with this in mind
    with this intention, with this purpose in mind, without a doubt, without delay, without doubt
    without reservation
    """,
    ",",
)
# Pairs that count when both parts are in the sentence, the second after the first.
TWO_PART_TRANSITIONS = (
    ("both", "and"),
    ("not only", "but also"),
    ("neither", "nor"),
    ("either", "or"),
    ("not", "but"),
)

# Openings that say little alone: "The cat ... The dog ..." start differently, so look one word further.
FIRST_WORD_EXCEPTIONS = _split(
    "the a an one two three four five six seven eight nine ten this that these those"
)
