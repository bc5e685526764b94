"""Modul 3 — Penyusunan rencana: a five-year target trajectory, people to serve and cost by hand for one
jenis, then a plan under the pagu and its Renja table.

Keys come from ``spm_helpers.engine.plan.build_rencana`` (DECISIONS D4, revised: cost = additional provision on
top of the base-year stock) on the confirmed 2025 data of the case region (``kasus_lanjut.data_akhir_tahun``),
for the participant's jenis (``kasus_lanjut.jenis_rencana``, one still below full service in 2025) and its OPD.
Hint values are the same plan computed the typical wrong way (jump to 100%, no baseline, no pagu, full-package cost, no max(0, …) ...).
"""
from __future__ import annotations

import math
from functools import lru_cache

import pandas as pd

from spm_helpers.engine.needs import compute_kebutuhan
from spm_helpers.engine.plan import TIDAK_TERCAPAI, Rencana, build_rencana, tabel_renja
from spm_helpers.reference import catalog
from spm_helpers.training.cases import TAHUN
from spm_helpers.training.cases_advanced import PAGU, TAHUN_RENCANA, data_akhir_tahun, jenis_rencana
from spm_helpers.training.comparers import Angka, Himpunan, Tabel
from spm_helpers.training.comparers_advanced import Deret
from spm_helpers.training.registry import Modul, Petunjuk, Soal, register

TAHUN_RENJA = TAHUN_RENCANA[0]
N = len(TAHUN_RENCANA)


@lru_cache(maxsize=4)
def _rencana(cara: str = "merata") -> Rencana:
    """'merata', 'didepankan', 'pagu' (the yearly PAGU) or 'pagu_tetap' (the 2026 pagu every year)."""
    d = data_akhir_tahun()
    if cara.startswith("pagu"):
        pagu = PAGU if cara == "pagu" else PAGU[TAHUN_RENJA]
        return build_rencana(d.sasaran, d.harga_satuan, ketersediaan=d.ketersediaan, metode="pagu", pagu=pagu)
    return build_rencana(d.sasaran, d.harga_satuan, ketersediaan=d.ketersediaan, metode=cara)


def jenis_dipakai(c) -> str:
    """The notebook's ``kode_jenis`` when set, else the OPD's planning jenis."""
    return c.get("kode_jenis") or jenis_rencana(c.get("opd"))


def _jenis(c, cara: str = "merata") -> pd.DataFrame:
    r = _rencana(cara).rencana
    return r[r["kode_jenis"] == jenis_dipakai(c)].sort_values("tahun_rencana")


def _awal(c) -> float:
    return float(_jenis(c)["capaian_awal"].iloc[0])


def _target(c, cara: str = "merata") -> list[float]:
    return _jenis(c, cara)["target_persen"].astype(float).tolist()


def _lintasan(c, bagi: int, first: int = 1) -> list[float]:
    """awal + gap × k / bagi for the plan years (capped at 100): the same formula with a wrong count."""
    awal = _awal(c)
    return [min(100.0, awal + (100.0 - awal) * k / bagi) for k in range(first, first + N)]


def _tahun1(c, kolom: str, cara: str = "merata"):
    return _jenis(c, cara)[kolom].iloc[0]


def _sasaran(c) -> int:
    return int(_tahun1(c, "jumlah_sasaran"))


def _dilayani(c) -> int:
    return int(_tahun1(c, "sasaran_dilayani"))


def _persis(c) -> float:
    return float(_tahun1(c, "target_persen")) * _sasaran(c) / 100


def _sudah(c) -> int:
    """People served in the base year (capped at sasaran)."""
    s = data_akhir_tahun().sasaran
    row = s[(s["tahun"] == TAHUN) & (s["kode_jenis"] == jenis_dipakai(c))].iloc[0]
    return min(int(row["jumlah_terlayani"]), int(row["jumlah_sasaran"]))


@lru_cache(maxsize=32)
def _butir(kode_jenis: str) -> pd.DataFrame:
    d = data_akhir_tahun()
    s = d.sasaran[(d.sasaran["tahun"] == TAHUN) & (d.sasaran["kode_jenis"] == kode_jenis)]
    k = compute_kebutuhan(s, d.ketersediaan, d.harga_satuan)
    acuan = catalog.mutu().set_index("kode_item")["harga_satuan_acuan"]
    return k.assign(harga_acuan=k["kode_item"].map(acuan).astype("float64"))


def _bpo(c, harga: str = "harga_satuan", kali_jumlah: bool = True) -> float:
    b = _butir(jenis_dipakai(c))
    per = b["jumlah_per_sasaran"] if kali_jumlah else 1.0
    return float((per * b[harga].astype("float64")).sum())


def _biaya(orang: int, bpo: float) -> int:
    return math.ceil(orang * bpo)


def _tambahan(c, orang: int, harga: str = "harga_satuan", bulat: bool = True, max0: bool = True) -> int:
    """Additional cost of ``orang`` people (D4): Σ items max(0, ceil(orang × jumlah_per_sasaran) − tersedia) ×
    harga; the flags give the typical wrong ways (acuan price, no rounding up, no max)."""
    b = _butir(jenis_dipakai(c))
    keb = (orang * b["jumlah_per_sasaran"].astype("float64")).round(6)
    keb = keb.apply(math.ceil) if bulat else keb
    add = keb - b["tersedia"].astype("float64")
    add = add.clip(lower=0) if max0 else add
    return round(float((add * b[harga].astype("float64")).sum()))


def _tidak_tercapai(cara: str, tanpa_rencana: bool = False) -> set[str]:
    st = _rencana(cara).status
    mask = st["tahun_tuntas"].isna() if tanpa_rencana else st["keterangan"] == TIDAK_TERCAPAI
    return set(st.loc[mask.to_numpy(dtype=bool), "kode_jenis"])


def _opd(c) -> str:
    return catalog.get_jenis(jenis_dipakai(c))["opd_pengampu"]


def _renja(c, cara: str = "pagu", tahun: int = TAHUN_RENJA) -> pd.DataFrame:
    return tabel_renja(_rencana(cara), tahun, _opd(c))


_KONTEKS = ("kode_jenis", "opd")
_BAGI_LIMA = ("Periode rencana lima tahun adalah 2026–2030 (tahun dasar 2025 tidak dihitung). Kesenjangan "
              "dibagi 5 dan target tahun kelima (2030) tepat 100%.")
_BULAT_ATAS = "Orang yang dilayani dibulatkan ke atas: 12,1 orang berarti 13 orang (`math.ceil(12.1)` memberi 13)."
_BELUM_100 = "Itu 100% sasaran. Target tahun pertama belum 100%: kalikan sasaran dengan target tahun itu."
_LUPA_PAGU = ("Rencana tanpa pagu (metode merata) selalu mencapai 100%. Susun rencana dengan "
              "`build_rencana(data.sasaran, data.harga_satuan, metode=\"pagu\", pagu=PAGU)`, lalu lihat tabel "
              "status-nya.")

MODUL = register(Modul(
    nomor=3,
    judul="Penyusunan rencana",
    berkas="modul_3_penyusunan_rencana.ipynb",
    ringkasan="Target lima tahun dari kondisi awal ke 100%, orang yang dilayani dan biayanya, rencana di bawah "
              "pagu, dan tabel Renja OPD.",
    menit_pengantar=15,
    varian_opd=True,
    soal=(
        Soal("m3.t1", "Lintasan target lima tahun", _target, Deret("target", toleransi=0.01),
             (Petunjuk("Target langsung 100% pada tahun pertama tidak realistis dan tidak sesuai lintasan "
                       "bertahap. Mulai dari kondisi awal 2025 dan tutup kesenjangannya sedikit demi sedikit.",
                       nilai=lambda c: [100.0] * N),
              Petunjuk("Anda lupa kondisi awal: target tidak dimulai dari 0%. Target tahun ke-k = kondisi awal + "
                       "(100 − kondisi awal) × k / 5.", nilai=lambda c: [100.0 * k / N for k in range(1, N + 1)]),
              Petunjuk("Yang dibagi lima adalah kesenjangan (100 − kondisi awal), bukan 100.",
                       nilai=lambda c: [min(100.0, _awal(c) + 100.0 * k / N) for k in range(1, N + 1)]),
              Petunjuk(_BAGI_LIMA, nilai=lambda c: _lintasan(c, N - 1)),
              Petunjuk(_BAGI_LIMA, nilai=lambda c: _lintasan(c, N + 1)),
              Petunjuk("Tahun pertama rencana (2026) sudah harus naik seperlima kesenjangan; target 2025 adalah "
                       "kondisi awal, bukan tahun rencana.", nilai=lambda c: _lintasan(c, N, first=0)),
              Petunjuk("Itu lintasan didepankan. Soal ini meminta lintasan merata (kenaikan sama setiap tahun).",
                       nilai=lambda c: _target(c, "didepankan"))), konteks=_KONTEKS, menit=15),
        Soal("m3.t2", "Orang yang dilayani tahun pertama", _dilayani, Angka(bulat=True),
             (Petunjuk(_BULAT_ATAS, nilai=lambda c: math.floor(_persis(c))),
              Petunjuk(_BULAT_ATAS, nilai=lambda c: round(_persis(c))),
              Petunjuk("Itu tambahan orangnya saja. Sasaran dilayani adalah seluruh orang yang dilayani pada tahun "
                       "itu (yang sudah terlayani ditambah tambahannya).", nilai=lambda c: _dilayani(c) - _sudah(c)),
              Petunjuk(_BELUM_100, nilai=_sasaran)), konteks=_KONTEKS, menit=10),
        Soal("m3.t3", "Biaya rencana tahun pertama", lambda c: int(_tahun1(c, "biaya")), Angka(toleransi=1, bulat=True),
             (Petunjuk("Itu biaya paket mutu penuh untuk semua orang yang dilayani. Yang sudah terlayani dan stok "
                       "yang sudah ada pada 2025 tetap dibiayai anggaran berjalan; rencana hanya membiayai "
                       "tambahannya: per butir, max(0, kebutuhan 2026 − tersedia) × harga satuan.",
                       nilai=lambda c: _biaya(_dilayani(c), _bpo(c))),
              Petunjuk("Itu biaya menutup seluruh kekurangan untuk sasaran penuh (Modul 2) — biaya tahun 2030, "
                       "saat target 100%. Untuk 2026 hitung kebutuhan butir dari orang yang dilayani 2026.",
                       nilai=lambda c: int(_butir(jenis_dipakai(c))["biaya"].sum())),
              Petunjuk("Jangan mengalikan tambahan orang dengan biaya per orang: stok yang ada dapat menampung "
                       "sebagian orang baru, dan kekurangan mutu orang yang sudah dilayani juga dibiayai. Hitung "
                       "per butir: kebutuhan untuk seluruh orang 2026 dikurangi yang tersedia.",
                       nilai=lambda c: _biaya(_dilayani(c) - _sudah(c), _bpo(c))),
              Petunjuk("Surplus satu butir tidak menutup kekurangan butir lain (buku tidak menggantikan guru): "
                       "pakai max(0, kebutuhan − tersedia) untuk setiap butir.",
                       nilai=lambda c: _tambahan(c, _dilayani(c), max0=False)),
              Petunjuk("Kebutuhan butir dibulatkan ke atas (math.ceil), seperti di Modul 2.",
                       nilai=lambda c: _tambahan(c, _dilayani(c), bulat=False)),
              Petunjuk("Gunakan harga satuan daerah (SSH) bila ada, seperti di Modul 2 (kolom harga_satuan).",
                       nilai=lambda c: _tambahan(c, _dilayani(c), "harga_acuan"))), konteks=_KONTEKS, menit=15),
        Soal("m3.t4", "Jenis yang belum tuntas dengan pagu", lambda c: _tidak_tercapai("pagu"), Himpunan("kode jenis"),
             (Petunjuk(_LUPA_PAGU, nilai=lambda c: _tidak_tercapai("merata")),
              Petunjuk(_LUPA_PAGU, nilai=lambda c: _tidak_tercapai("merata", tanpa_rencana=True)),
              Petunjuk("Jenis tanpa sasaran pada tahun dasar tidak direncanakan (lihat kolom keterangan); itu berbeda "
                       "dengan 'tidak tercapai dalam periode'.", nilai=lambda c: _tidak_tercapai("pagu", True)),
              Petunjuk("Kolom didanai=False berarti rencana jenis itu tidak didanai penuh (ada kekurangan anggaran, "
                       "juga pada jenis yang sudah 100% tetapi mutunya belum terpenuhi). Soal ini menanyakan "
                       "jenis yang targetnya belum 100% pada akhir periode ('tidak tercapai dalam periode').",
                       nilai=lambda c: set(_rencana("pagu").status.query("~didanai")["kode_jenis"])),
              Petunjuk("Pagu naik setiap tahun: berikan kamus PAGU (satu pagu per tahun), bukan pagu 2026 saja.",
                       nilai=lambda c: _tidak_tercapai("pagu_tetap"))), menit=15),
        Soal("m3.t5", "Tabel Renja OPD tahun 2026", _renja,
             Tabel(kunci=("kode_jenis",), nilai=("target_persen", "sasaran_dilayani", "biaya"), toleransi=1e-6),
             (Petunjuk("Tabel Anda berasal dari rencana tanpa pagu: biaya seluruh OPD dalam rencana itu melebihi pagu "
                       "2026. Renja harus muat di bawah pagu: pakai rencana metode pagu.",
                       nilai=lambda c: _renja(c, "merata")),
              Petunjuk(f"Periksa tahunnya: Renja ini untuk tahun {TAHUN_RENJA}.",
                       nilai=lambda c: _renja(c, tahun=TAHUN_RENJA + 1))), konteks=_KONTEKS, menit=15),
    ),
))
