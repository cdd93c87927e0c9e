"""Words and names of the language (jieba's dictionary, the common surnames), for rules that ask whether a break
cuts a word or whether a line is a person's name."""

from __future__ import annotations

import logging

import jieba

from pipeline.segment.bylines import standalone_names

jieba.setLogLevel(logging.WARNING)  # its dictionary-loading notes are no concern of a page's reader

# Common Chinese surnames (the few hundred that name nearly everyone), for telling a bare name from other words.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施"
    "文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷"
    "盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷"
    "晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)
# jieba's dictionary counts words of the language in the hundreds and more (方向 8151, 层层 711); the few names it
# lists, a few dozen at most (吴光胜 33, 李忠杰 3).
COMMON_WORD = 100


def word_across(a: str, b: str) -> bool:
    """A dictionary word runs across the break between `a` and `b` (jieba's dictionary, no guessing of new words:
    a name the dictionary lacks is not evidence)."""
    left, right = a.rstrip()[-4:], b.lstrip()[:4]
    if not left or not right:
        return False
    return any(start < len(left) < end for _w, start, end in jieba.tokenize(left + right, HMM=False))


def person_names(text: str) -> tuple[str, ...] | None:
    """`standalone_names`, where each name also reads as a person's name (`is_person`): a line of two- or
    three-character words (`层层责任`, `活动`) is not a byline."""
    names = standalone_names(text)
    if names is None or not all(is_person(n) for n in names):
        return None
    return names


def is_person(name: str) -> bool:
    """A Chinese personal name: two or three characters opening with a common surname (`SURNAMES`, a few hundred
    surnames name nearly everyone), and no word of the language (`方向`, `高峰`: jieba's dictionary counts them
    often; names it lists at all it lists rarely)."""
    if not 2 <= len(name) <= 3 or name[0] not in SURNAMES:
        return False
    jieba.dt.check_initialized()
    return int(jieba.dt.FREQ.get(name, 0)) < COMMON_WORD
