"""Public-service-standard compliance (UU 25/2009): a self-assessment that simulates the Ombudsman RI method.

The instrument is data in ``datasets/kepatuhan/`` (components, schemes and their bands, dimensions,
indicators, value scales), each row with ``sumber`` and ``status``, because most of the Ombudsman's
instrument is known only from secondary sources (DECISIONS D7). Code only does arithmetic on it.

Scoring is linear: an indicator with value ``x`` out of ``nilai_maks`` in dimension ``d`` adds
``poin × x`` to the unit score, where ``poin = 100 × W_d/ΣW × w_i/(Σ_{j∈d} w_j × nilai_maks)``.
So the gain of fixing one indicator never depends on the others, which makes the improvement plan
(*rencana perbaikan*) exact. Every score is a *simulasi penilaian mandiri*, never an official result.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np
import pandas as pd

from spm_helpers import fmt
from spm_helpers.errors import Problem, SPMDataError, SPMError
from spm_helpers.inputs.workbook import parse_number
from spm_helpers.paths import kepatuhan_dir
from spm_helpers.reference import regions

LABEL_SIMULASI = "Simulasi penilaian mandiri — bukan hasil resmi Ombudsman RI"
DEFAULT_SKEMA = "ombudsman_2022_2024"
KEYS = ["kode_wilayah", "unit"]
PENILAIAN_COLUMNS = [*KEYS, "kode_indikator", "nilai"]
ZONA = ("hijau", "kuning", "merah")


@dataclass(frozen=True)
class Instrument:
    """One scheme's assessment instrument; ``indikator['poin']`` is the score per value point."""

    skema: str
    indikator: pd.DataFrame
    dimensi: pd.DataFrame
    kategori: pd.DataFrame
    skala: pd.DataFrame

    @property
    def codes(self) -> list[str]:
        return self.indikator["kode_indikator"].tolist()


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(kepatuhan_dir() / name, dtype=str, keep_default_na=False, na_values=[""])


def _numeric(df: pd.DataFrame, *cols: str) -> pd.DataFrame:
    return df.assign(**{c: pd.to_numeric(df[c]) for c in cols})


@lru_cache(maxsize=1)
def komponen() -> pd.DataFrame:
    """The 14 components of UU 25/2009 Pasal 21 with the PermenPANRB 15/2014 split."""
    df = _numeric(_read("komponen.csv"), "urutan")
    return df.assign(wajib_dipublikasikan=df["wajib_dipublikasikan"].eq("ya"))


@lru_cache(maxsize=1)
def _skema_all() -> pd.DataFrame:
    return _numeric(_read("skema.csv"), "batas_bawah", "batas_atas", "urutan")


def skema_list() -> list[str]:
    """Names of the shipped schemes, e.g. ``['ombudsman_2021', 'ombudsman_2022_2024']``."""
    return list(dict.fromkeys(_skema_all()["skema"]))


@cache
def instrument(skema: str = DEFAULT_SKEMA) -> Instrument:
    """The shipped instrument of a scheme (cached; treat the frames as read-only)."""
    if skema not in skema_list():
        raise SPMDataError(f"skema penilaian '{skema}' tidak dikenal; pilihan: {', '.join(skema_list())}",
                           nilai=skema)

    def pick(name: str, *num: str) -> pd.DataFrame:
        df = _numeric(_read(name), *num)
        return df[df["skema"] == skema].drop(columns="skema").reset_index(drop=True)

    return make_instrument(skema, pick("indikator.csv", "urutan", "nilai_maks", "bobot"),
                           pick("dimensi.csv", "bobot", "urutan"),
                           pick("skema.csv", "batas_bawah", "batas_atas", "urutan"),
                           pick("skala.csv", "nilai"))


def make_instrument(skema: str, indikator: pd.DataFrame, dimensi: pd.DataFrame, kategori: pd.DataFrame,
                    skala: pd.DataFrame | None = None) -> Instrument:
    """Build an instrument from tables (the shipped CSVs, or a region's own variant) and derive ``poin``."""
    dim = dimensi.set_index("dimensi")
    ind = indikator.sort_values("urutan", kind="stable").reset_index(drop=True)
    unknown = sorted(set(ind["dimensi"]) - set(dim.index))
    if unknown:
        raise SPMDataError(f"indikator memakai dimensi yang tidak ada di tabel dimensi: {', '.join(unknown)}")
    share = dim["bobot"] / dim["bobot"].sum()
    within = ind["bobot"] / ind.groupby("dimensi")["bobot"].transform("sum")
    ind = ind.assign(poin=100.0 * ind["dimensi"].map(share) * within / ind["nilai_maks"])
    kat = kategori.sort_values("batas_bawah").reset_index(drop=True)
    if skala is None:
        skala = pd.DataFrame({"nilai": [], "arti": []})
    return Instrument(skema, ind, dimensi.reset_index(drop=True), kat, skala.reset_index(drop=True))


def _as_instrument(skema: str | Instrument) -> Instrument:
    return skema if isinstance(skema, Instrument) else instrument(skema)


# --- bands ------------------------------------------------------------------------------------------

def round_nilai(values) -> np.ndarray:
    """Round half up to 2 decimals: the published precision, on which the band is decided.

    Bands are published as e.g. 51.00–80.99 / 81.00–100, so 80.996 shows as 81.00 and is hijau.
    """
    arr = np.asarray(values, dtype=float)
    return np.floor(arr * 100 + 0.5 + 1e-9) / 100


def format_nilai(value) -> str:
    """A score as Indonesians write it (comma decimal), with the same rounding as :func:`classify`."""
    return fmt.angka(None if value is None or pd.isna(value) else float(round_nilai(value)), 2)


def classify(nilai, skema: str | Instrument = DEFAULT_SKEMA) -> pd.DataFrame:
    """kategori, opini and zona for each score (scalar or sequence); NA score → NA band.

    A band holds ``batas_bawah ≤ nilai < batas_atas``; the top band also holds its upper bound (100).
    """
    kat = _as_instrument(skema).kategori
    raw = pd.to_numeric(pd.Series(np.atleast_1d(np.asarray(nilai, dtype=object))), errors="coerce")
    r = round_nilai(raw.astype(float))
    top = kat["batas_atas"].max()
    pos = np.searchsorted(kat["batas_bawah"].to_numpy(), r, side="right") - 1
    ok = ~np.isnan(r) & (pos >= 0) & (r <= top)
    out = pd.DataFrame({"nilai": raw.astype(float)})
    for col in ("kategori", "opini", "zona"):
        vals = kat[col].to_numpy(dtype=object)[np.clip(pos, 0, len(kat) - 1)]
        out[col] = pd.Series(np.where(ok, vals, None), dtype=object)
    return out


# --- validation -------------------------------------------------------------------------------------

def _where(df: pd.DataFrame, idx, berkas: str | None, sheet: str | None, kolom: str) -> dict:
    def prov(col: str, default):
        return df.at[idx, col] if col in df.columns and pd.notna(df.at[idx, col]) else default

    baris = prov("_baris", None)
    return {"berkas": prov("_berkas", berkas), "sheet": prov("_sheet", sheet),
            "baris": int(baris) if baris is not None else int(df.index.get_loc(idx)) + 2,
            "kolom": prov("_kolom", kolom) if kolom == "nilai" else kolom}


def _parse_nilai(values: pd.Series) -> tuple[pd.Series, list[str | None]]:
    """Whole numbers from cells that may hold 3, '3', ' 3 ', 'ya?' or TRUE; (Int64 values, reason per cell)."""
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        num = values.astype("Float64")
        frac = (num.notna() & (num != num.round())).fillna(False)
        reasons = ["harus bilangan bulat (tanpa desimal)" if f else None for f in frac]
        return num.mask(frac).astype("Int64"), reasons
    parsed = [parse_number(v, "bulat") for v in values]
    nums = pd.array([pd.NA if r else n for n, r in parsed], dtype="Int64")
    return pd.Series(nums, index=values.index), [r for _, r in parsed]


def validate_penilaian(df: pd.DataFrame, skema: str | Instrument = DEFAULT_SKEMA, *,
                       berkas: str | None = None, sheet: str | None = None) -> pd.DataFrame:
    """Check a tidy assessment (kode_wilayah, unit, kode_indikator, nilai); raise every problem at once.

    Blank ``nilai`` is kept as NA (not yet assessed). Provenance columns ``_berkas/_sheet/_baris/_kolom``
    make messages point at the cell the officer filled. Returns the four columns, cleaned.
    """
    inst = _as_instrument(skema)
    missing = [c for c in PENILAIAN_COLUMNS if c not in df.columns]
    if missing:
        raise SPMDataError([Problem(f"kolom wajib '{c}' tidak ditemukan pada tabel penilaian", berkas=berkas,
                                    sheet=sheet, kolom=c) for c in missing])
    out = df.reset_index(drop=True)
    problems: list[Problem] = []

    def flag(mask: pd.Series, kolom: str, alasan) -> None:
        for idx in out.index[mask.fillna(False).astype(bool)]:
            why = alasan(idx) if callable(alasan) else alasan
            problems.append(Problem(why, nilai=out.at[idx, kolom], **_where(out, idx, berkas, sheet, kolom)))

    kode = out["kode_wilayah"].map(lambda v: regions.normalize_code(v) if pd.notna(v) else None)
    known = set(regions.table()["kode_wilayah"])
    flag(kode.isna(), "kode_wilayah", "kode wilayah harus berformat 'PP.KK', misalnya '14.10'")
    flag(kode.notna() & ~kode.isin(known), "kode_wilayah", "kode wilayah tidak ada dalam daftar Kemendagri")
    unit = out["unit"].map(lambda v: " ".join(str(v).split()) if pd.notna(v) else "")
    flag(unit.eq(""), "unit", "nama unit layanan kosong")

    codes = out["kode_indikator"].map(lambda v: str(v).strip().upper() if pd.notna(v) else "")
    maks = codes.map(inst.indikator.set_index("kode_indikator")["nilai_maks"])
    other = other_scheme_codes(inst.skema)
    flag(maks.isna(), "kode_indikator",
         lambda i: f"indikator ini milik skema '{other[codes[i]]}', bukan '{inst.skema}'"
         if codes[i] in other else f"kode indikator tidak dikenal pada skema '{inst.skema}'")
    nilai, reasons = _parse_nilai(out["nilai"])
    flag(pd.Series([r is not None for r in reasons]), "nilai", lambda i: f"nilai {reasons[i]}")
    rng = maks.notna() & nilai.notna() & ((nilai < 0) | (nilai > maks)).fillna(False)
    flag(rng, "nilai", lambda i: f"nilai harus antara 0 dan {int(maks[i])}")
    key = pd.DataFrame({"k": kode, "u": unit.str.casefold(), "c": codes})
    problems += _duplicates(out, key.duplicated() & maks.notna(), unit, berkas, sheet)
    if problems:
        raise SPMDataError(sorted(problems, key=lambda p: (p.berkas or "", p.sheet or "", p.baris or 0)))
    return pd.DataFrame({"kode_wilayah": kode, "unit": unit, "kode_indikator": codes, "nilai": nilai})


def _duplicates(df: pd.DataFrame, dup: pd.Series, unit: pd.Series, berkas, sheet) -> list[Problem]:
    """One problem per repeated row; a whole repeated unit (e.g. the same unit in two workbooks) is one problem."""
    prov = [c for c in ("_berkas", "_kolom") if c in df.columns]
    folded = unit.str.casefold()
    out = []
    for _, grp in df[dup].groupby([folded[dup], *[df.loc[dup, c].fillna("") for c in prov]], sort=False):
        idx = grp.index[0]
        if len(grp) == 1:
            out.append(Problem("baris ganda: unit dan indikator ini sudah dinilai pada baris lain",
                               nilai=df.at[idx, "kode_indikator"], **_where(df, idx, berkas, sheet, "kode_indikator")))
            continue
        first = _where(df, df.index[~dup & folded.eq(folded[idx])][0], berkas, sheet, "nilai")
        seen = ", ".join(f"{k} {first[k]}" for k in ("berkas", "kolom") if first[k]) or f"baris {first['baris']}"
        out.append(Problem(f"unit '{unit[idx]}' sudah dinilai di {seen} ({len(grp)} indikator ganda)",
                           nilai=unit[idx], **_where(df, idx, berkas, sheet, "nilai")))
    return out


@cache
def other_scheme_codes(skema: str) -> dict[str, str]:
    """Indicator codes of the other shipped schemes → their scheme (to say *why* a code is refused)."""
    ind = _read("indikator.csv")
    ind = ind[ind["skema"] != skema]
    return dict(zip(ind["kode_indikator"], ind["skema"]))


# --- scores -----------------------------------------------------------------------------------------

def _grid(penilaian: pd.DataFrame, inst: Instrument) -> pd.DataFrame:
    """Every (unit, indicator) pair, NA where a unit has no value yet, with the instrument columns.

    Input that is not clean (unvalidated: unknown or lower-case code, repeated row, value out of range or
    not a number) goes through :func:`validate_penilaian` first: cleaned, or refused with located problems.
    """
    try:
        nilai = penilaian["nilai"].astype("Float64")
        maks = penilaian["kode_indikator"].map(inst.indikator.set_index("kode_indikator")["nilai_maks"])
        clean = not (maks.isna().any() or (nilai < 0).any() or (nilai > maks).any() or (nilai % 1 != 0).any()
                     or penilaian.duplicated([*KEYS, "kode_indikator"]).any())
    except (TypeError, ValueError):
        clean = False
    if not clean:
        penilaian = validate_penilaian(penilaian, inst)
    units = penilaian[KEYS].drop_duplicates()
    full = units.merge(inst.indikator[["kode_indikator", "urutan", "dimensi", "nilai_maks", "poin"]],
                       how="cross")
    vals = penilaian[[*KEYS, "kode_indikator", "nilai"]]
    full = full.merge(vals, on=[*KEYS, "kode_indikator"], how="left", validate="1:1")
    full["nilai"] = full["nilai"].astype("Float64")
    full["kosong"] = full["nilai"].isna().astype(int)
    return full


def _sum_complete(g: pd.DataFrame, by: list[str], value: str, *extra: str) -> pd.DataFrame:
    """Sum of ``value`` per group, NA where any indicator of the group is blank, plus the blank count."""
    out = g.groupby(by, sort=False)[[value, "kosong", *extra]].sum().reset_index()
    out[value] = out[value].astype(float).where(out["kosong"] == 0)
    return out.rename(columns={"kosong": "indikator_kosong"})


def _with_band(df: pd.DataFrame, inst: Instrument, col: str = "nilai", prefix: str = "") -> pd.DataFrame:
    band = classify(df[col].to_numpy(dtype=float, na_value=np.nan), inst)
    for c in ("kategori", "opini", "zona"):
        df[prefix + c] = band[c].to_numpy()
    return df


def score_dimensions(penilaian: pd.DataFrame, skema: str | Instrument = DEFAULT_SKEMA) -> pd.DataFrame:
    """Per unit and dimension: score 0–100 (NA while any indicator of it is blank) and its weight."""
    inst = _as_instrument(skema)
    g = _grid(penilaian, inst)
    g = g.merge(inst.indikator[["kode_indikator", "bobot"]], on="kode_indikator")
    g["capai"] = g["bobot"] * g["nilai"] / g["nilai_maks"]
    out = _sum_complete(g, [*KEYS, "dimensi"], "capai", "bobot")
    out["nilai_dimensi"] = 100 * out["capai"] / out["bobot"]
    dims = inst.dimensi[["dimensi", "nama_dimensi", "bobot", "urutan"]].rename(columns={"bobot": "bobot_dimensi"})
    # groups come in the grid's order (units as they appear, dimensions in indicator order); keep it
    out = out.merge(dims, on="dimensi", how="left").sort_values("kode_wilayah", kind="stable")
    cols = [*KEYS, "dimensi", "nama_dimensi", "bobot_dimensi", "nilai_dimensi", "indikator_kosong"]
    return out[cols].assign(skema=inst.skema, keterangan=LABEL_SIMULASI).reset_index(drop=True)


def score_units(penilaian: pd.DataFrame, skema: str | Instrument = DEFAULT_SKEMA) -> pd.DataFrame:
    """Per unit: score 0–100, kategori/opini/zona, and how many indicators are still blank.

    A unit with a blank indicator gets no score (NA) rather than a score that silently counts blank as 0.
    """
    inst = _as_instrument(skema)
    g = _grid(penilaian, inst)
    g["nilai"] = g["poin"] * g["nilai"]  # each indicator's contribution to the unit score
    g["indikator_dinilai"] = 1 - g["kosong"]
    out = _with_band(_sum_complete(g, KEYS, "nilai", "indikator_dinilai"), inst)
    out["skema"] = inst.skema
    out["keterangan"] = LABEL_SIMULASI
    return out.sort_values("kode_wilayah", kind="stable").reset_index(drop=True)


def region_scores(nilai_unit: pd.DataFrame, skema: Instrument | None = None) -> pd.DataFrame:
    """Per region and scheme: unit counts, mean of the scored units, zone counts, and the band of the mean.

    Also the batch summary across regions: give it the ``score_units`` tables of many regions
    concatenated. The Ombudsman's aggregation from units to a pemda is unconfirmed; the mean is ours.
    """
    keys = ["kode_wilayah", "skema"]
    out = nilai_unit.groupby(keys, sort=True)["nilai"].agg(
        jumlah_unit="size", unit_dinilai="count", nilai_rata_rata="mean", nilai_terendah="min",
        nilai_tertinggi="max").reset_index()
    if out.empty:
        return out
    out.insert(1, "nama_wilayah", out["kode_wilayah"].map(_region_name))
    out.insert(5, "unit_belum_lengkap", out["jumlah_unit"] - out["unit_dinilai"])
    zones = pd.crosstab([nilai_unit["kode_wilayah"], nilai_unit["skema"]], nilai_unit["zona"])
    zones = zones.reindex(columns=list(ZONA), fill_value=0).add_prefix("unit_").reset_index()
    counts = [f"unit_{z}" for z in ZONA]
    out = out.merge(zones, on=keys, how="left")
    out[counts] = out[counts].fillna(0).astype(int)
    parts = [_with_band(part.copy(), skema or instrument(sk), "nilai_rata_rata")
             for sk, part in out.groupby("skema", sort=False)]
    out = pd.concat(parts).sort_values(["kode_wilayah", "skema"], kind="stable").reset_index(drop=True)
    return out.assign(keterangan=LABEL_SIMULASI)


def _region_name(kode: str) -> str | None:
    try:
        return regions.get(kode).nama
    except SPMError:  # an unknown code still gets its row, unnamed
        return None


# --- improvement plan -------------------------------------------------------------------------------

def _gaps(penilaian: pd.DataFrame, inst: Instrument) -> pd.DataFrame:
    """Assessed indicators below their maximum in complete units, with the exact score gain of fixing each."""
    g = _grid(penilaian, inst)
    complete = g.groupby(KEYS)["kosong"].transform("sum") == 0
    g = g[complete & (g["nilai"] < g["nilai_maks"])].copy()
    g["kenaikan"] = (g["poin"] * (g["nilai_maks"] - g["nilai"])).astype(float)
    info = inst.indikator[["kode_indikator", "indikator", "saran", "kode_komponen"]]
    return g.merge(info, on="kode_indikator", how="left")


def _cumulate(plan: pd.DataFrame, by: list[str], start: str, inst: Instrument) -> pd.DataFrame:
    plan = plan.sort_values([*by, "kenaikan", "urutan"], ascending=[True] * len(by) + [False, True],
                            kind="stable").reset_index(drop=True)
    plan.insert(len(by), "peringkat", plan.groupby(by).cumcount() + 1)
    plan["nilai_setelah"] = plan[start] + plan["kenaikan"]
    plan["nilai_kumulatif"] = plan[start] + plan.groupby(by)["kenaikan"].cumsum()
    return _with_band(plan, inst, "nilai_kumulatif", prefix="kumulatif_")


def rencana_perbaikan(penilaian: pd.DataFrame, skema: str | Instrument = DEFAULT_SKEMA) -> pd.DataFrame:
    """Per unit, every indicator below its maximum ranked by how much fixing it raises the unit score.

    ``kenaikan`` is exact (scores are linear); ``nilai_kumulatif`` and ``kumulatif_zona`` show where the
    unit lands after applying the recommendations up to that rank. Incomplete units are left out.
    """
    inst = _as_instrument(skema)
    units = score_units(penilaian, inst)[[*KEYS, "nilai"]].rename(columns={"nilai": "nilai_awal"})
    plan = _gaps(penilaian, inst).merge(units, on=KEYS).rename(columns={"nilai": "nilai_sekarang"})
    plan = _cumulate(plan, KEYS, "nilai_awal", inst)
    cols = [*KEYS, "peringkat", "kode_indikator", "dimensi", "kode_komponen", "indikator", "saran",
            "nilai_sekarang", "nilai_maks", "kenaikan", "nilai_awal", "nilai_setelah", "nilai_kumulatif",
            "kumulatif_kategori", "kumulatif_zona"]
    return plan[cols].assign(skema=inst.skema, keterangan=LABEL_SIMULASI)


def rencana_perbaikan_wilayah(penilaian: pd.DataFrame, skema: str | Instrument = DEFAULT_SKEMA) -> pd.DataFrame:
    """Per region, each indicator ranked by how much the region mean rises if every unit lacking it fixes it.

    The region score is the mean over scored units (see :func:`region_scores`), so an indicator's gain
    is the sum of its unit gains divided by the number of scored units.
    """
    inst = _as_instrument(skema)
    units = score_units(penilaian, inst)
    scored = units.dropna(subset=["nilai"]).groupby("kode_wilayah")["nilai"].agg(["mean", "count"])
    gaps = _gaps(penilaian, inst).sort_values("unit", kind="stable")
    by = gaps.groupby(["kode_wilayah", "kode_indikator"], sort=False)
    plan = by["kenaikan"].agg(["size", "sum"]).set_axis(["jumlah_unit", "kenaikan_unit"], axis=1)
    plan["daftar_unit"] = by["unit"].agg("; ".join)
    info = inst.indikator[["kode_indikator", "urutan", "dimensi", "indikator", "saran"]]
    plan = plan.reset_index().merge(info, on="kode_indikator", how="left")
    plan = plan.join(scored.rename(columns={"mean": "nilai_awal", "count": "unit_dinilai"}), on="kode_wilayah")
    plan["kenaikan"] = plan.pop("kenaikan_unit") / plan["unit_dinilai"]
    plan = _cumulate(plan, ["kode_wilayah"], "nilai_awal", inst)
    cols = ["kode_wilayah", "peringkat", "kode_indikator", "dimensi", "indikator", "saran", "jumlah_unit",
            "daftar_unit", "unit_dinilai", "kenaikan", "nilai_awal", "nilai_setelah", "nilai_kumulatif",
            "kumulatif_kategori", "kumulatif_zona"]
    return plan[cols].assign(skema=inst.skema, keterangan=LABEL_SIMULASI)


def apply_recommendation(penilaian: pd.DataFrame, kode_wilayah: str, unit: str | None, kode_indikator: str,
                         skema: str | Instrument = DEFAULT_SKEMA) -> pd.DataFrame:
    """The assessment with one indicator raised to its maximum (in one unit, or all units if ``unit`` is None)."""
    inst = _as_instrument(skema)
    maks = int(inst.indikator.set_index("kode_indikator").at[kode_indikator, "nilai_maks"])
    hit = penilaian["kode_wilayah"].eq(kode_wilayah) & penilaian["kode_indikator"].eq(kode_indikator)
    if unit is not None:
        hit &= penilaian["unit"].eq(unit)
    out = penilaian.copy()
    out["nilai"] = out["nilai"].astype("Int64").mask(hit, maks)
    return out
