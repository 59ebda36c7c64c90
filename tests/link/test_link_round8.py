"""Tests of the eighth round of linking: wording variants the stemmer leaves apart (rule ``word_variant``)."""

from kg.link import link
from kg.link.normalize import normalize
from kg.link.stems import stem_keys
from kg.records import Entity, PaperExtraction


def node_of(result, paper, name):
    return next(eid for eid, ms in result.members.items() if (paper, name) in ms)


def test_nets_are_networks_and_imagery_is_images():
    assert stem_keys(normalize("deep nets")) == stem_keys(normalize("deep networks"))
    assert stem_keys(normalize("satellite imagery classification")) == stem_keys(
        normalize("satellite image classification"))
    assert not stem_keys(normalize("net gain")) & stem_keys(normalize("gain"))
    r = link([], [PaperExtraction("a", "", [Entity("feedforward neural nets", "Model")]),
                  PaperExtraction("b", "", [Entity("feedforward neural networks", "Model")])])
    assert node_of(r, "a", "feedforward neural nets") == node_of(r, "b", "feedforward neural networks")


def test_a_name_keeps_its_written_word():
    # "Pointer Net" and "Code Search Net" are names: exact keys, no stem key to meet another phrase by
    r = link([], [PaperExtraction("a", "", [Entity("Code Search Net", "Dataset")]),
                  PaperExtraction("b", "", [Entity("code search network", "Model")])])
    assert node_of(r, "a", "Code Search Net") != node_of(r, "b", "code search network")
