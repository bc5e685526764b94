"""``spm kelas``: the classroom hub (``mulai``) and the facilitator's live progress page (``pantau``)."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from spm_helpers.cli.common import console, handle_errors


def _pantau(toko: Path, host: str, port: int, berkas_kunci: Path | None) -> None:
    from spm_helpers.errors import SPMError
    from spm_helpers.training import progress

    if toko.exists() and not toko.is_dir():
        raise SPMError(f"'{toko}' bukan folder. Berikan folder toko kelas (tempat {progress.ENV_TOKO} menunjuk).")
    kunci = None
    if berkas_kunci is not None:
        try:
            kunci = berkas_kunci.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise SPMError(f"Berkas kunci '{berkas_kunci}' tidak dapat dibaca ({exc.strerror}).") from None
        if not kunci:
            raise SPMError(f"Berkas kunci '{berkas_kunci}' kosong.")
    toko.mkdir(parents=True, exist_ok=True)
    try:
        server = progress.serve(toko, host, port, kunci=kunci)
    except OSError as exc:
        raise SPMError(f"Port {port} tidak dapat dipakai ({exc.strerror}). Pilih port lain dengan --port.") from None
    alamat = f"http://{host}:{server.server_address[1]}/" + (f"?kunci={kunci}" if kunci else "")
    console.print(f"Halaman kemajuan: [bold]{alamat}[/] (tanpa nama; tautan di halaman menampilkan nama, "
                  "jangan di proyektor). Ctrl+C untuk berhenti.")
    console.print(f"Kernel peserta mencatat kemajuan bila {progress.ENV_TOKO}={toko.resolve()} terpasang.")
    import signal

    def _berhenti(*_):  # JupyterHub stops its services with SIGTERM/SIGINT (SIGINT may be ignored when inherited)
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _berhenti)
    signal.signal(signal.SIGINT, _berhenti)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


ISOLASI_YA = ("Tiap peserta berjalan sebagai pengguna sistem sendiri (spm-…): folder, notebook dan catatan "
              "kemajuan seorang peserta tidak dapat dibaca peserta lain.")
ISOLASI_TIDAK = ("[bold yellow]Perhatian:[/] {sebab}, jadi semua peserta berjalan sebagai pengguna Anda. Peramban "
                 "berkas hanya menampilkan folder peserta sendiri, tetapi kode Python di sel dapat membaca folder dan "
                 "hasil peserta lain. Untuk memisahkan peserta, jalankan dengan sudo di Linux/WSL2 (lihat "
                 "PANDUAN_FASILITATOR.md, §2.2).")


def _mulai(folder: Path, kode: str, ip: str, port: int, batas_diam: int, port_pantau: int, tanpa_isolasi: bool) -> None:
    import os
    import sys

    from spm_helpers.training import hub

    path = hub.buat_konfigurasi(folder, kode, ip=ip, port=port, batas_diam=batas_diam, port_pantau=port_pantau,
                                isolasi=False if tanpa_isolasi else None)
    console.print(f"Kelas siap di {folder}. Peserta membuka [bold]http://<alamat-laptop-ini>:{port}/[/] dan masuk "
                  f"dengan nama, OPD dan kode kelas [bold]{kode}[/].")
    from spm_helpers.training import hub_users

    sebab = ("pemisahan peserta dimatikan (--tanpa-isolasi)" if tanpa_isolasi and hub_users.tersedia()
             else "server ini tidak berjalan sebagai root di Linux")
    console.print(ISOLASI_YA if hub.terisolasi(folder) else ISOLASI_TIDAK.format(sebab=sebab))
    console.print(f"Halaman kemajuan (hanya di laptop ini): http://127.0.0.1:{port_pantau}/?kunci="
                  f"{hub.kunci_pantau(folder)} . Ctrl+C untuk berhenti.")
    os.chdir(folder)
    os.execv(sys.executable, [sys.executable, "-m", "jupyterhub", "-f", str(path)])


def collect_and_grade(folder: Path, ke: Path | None, modul: list[int] | None, batas_waktu: int | None,
                      paralel: int | None, tampilkan_nama: bool) -> None:
    from datetime import datetime

    from spm_helpers.training.sandbox_run import block_slow_optional_imports

    block_slow_optional_imports()  # before nbformat (see there)

    from spm_helpers.cli.training import grade_folder as nilai_folder
    from spm_helpers.errors import SPMError
    from spm_helpers.training import hub

    if not (folder / "peserta").is_dir():
        raise SPMError(f"'{folder}' bukan folder kelas (tidak ada subfolder peserta/).")
    if hub.terisolasi(folder):
        import os

        os.umask(0o077)  # the collected notebooks and the scores are the facilitator's alone
    kiriman = ke or folder / f"kiriman_{datetime.now():%Y%m%d_%H%M}"
    paths = hub.kumpulkan(folder, kiriman, modul)
    if not paths:
        raise SPMError("Belum ada notebook peserta yang diubah untuk dinilai.")
    console.print(f"{len(paths)} notebook dikumpulkan ke {kiriman} (satu folder per peserta).")
    nilai_folder(kiriman, None, batas_waktu, paralel, False, tampilkan_nama=tampilkan_nama)


def register(app: typer.Typer) -> None:
    kelas = typer.Typer(help="Kelas langsung: halaman kemajuan peserta untuk fasilitator.", no_args_is_help=True)
    app.add_typer(kelas, name="kelas")

    @kelas.command("mulai", help="Jalankan server kelas (JupyterHub): peserta masuk dari browser dengan nama, OPD "
                                 "dan kode kelas; tiap peserta mendapat folder sendiri berisi modul latihan.")
    @handle_errors
    def mulai_cmd(
        kode: str = typer.Option(..., "--kode", help="Kode kelas yang ditulis di papan, 4–32 huruf/angka."),
        folder: Path = typer.Option(Path("kelas_hub"), "--folder", help="Folder kelas (modul, folder peserta, toko)."),
        ip: str = typer.Option("0.0.0.0", "--ip", help="Alamat; 0.0.0.0 = semua jaringan laptop ini."),
        port: int = typer.Option(8000, "--port", min=1, max=65000, help="Port untuk peserta."),
        batas_diam: int = typer.Option(3600, "--batas-diam", min=60, help="Server peserta yang diam selama ini "
                                                                           "(detik) dihentikan; berkas tetap."),
        port_pantau: int = typer.Option(8001, "--port-pantau", min=1, max=65535, help="Port halaman kemajuan."),
        tanpa_isolasi: bool = typer.Option(False, "--tanpa-isolasi", help="Jangan buat pengguna sistem per peserta "
                                                                          "walau berjalan sebagai root."),
    ) -> None:
        _mulai(folder, kode, ip, port, batas_diam, port_pantau, tanpa_isolasi)

    @kelas.command("bersihkan", help="Sesudah kelas: hapus pengguna sistem peserta kelas ini (berkas tetap, "
                                     "kembali milik root).")
    @handle_errors
    def bersihkan_cmd(
        folder: Path = typer.Option(Path("kelas_hub"), "--folder", help="Folder kelas dari spm kelas mulai."),
    ) -> None:
        from spm_helpers.errors import SPMError
        from spm_helpers.training import hub_users

        if not (folder / "peserta").is_dir():
            raise SPMError(f"'{folder}' bukan folder kelas (tidak ada subfolder peserta/).")
        if not hub_users.tersedia():
            raise SPMError("Menghapus pengguna sistem perlu hak root (jalankan dengan sudo).")
        nama = hub_users.hapus_semua(folder)
        console.print(f"{len(nama)} pengguna sistem peserta dihapus." if nama else
                      "Tidak ada pengguna sistem peserta untuk kelas ini.")

    @kelas.command("nilai", help="Kumpulkan notebook semua peserta server kelas (satu folder per peserta) lalu "
                                 "nilai, seperti spm latihan nilai.")
    @handle_errors
    def nilai_cmd(
        folder: Path = typer.Option(Path("kelas_hub"), "--folder", help="Folder kelas dari spm kelas mulai."),
        ke: Path = typer.Option(None, "--ke", help="Folder kiriman (bawaan: <folder>/kiriman_<waktu>)."),
        modul: list[int] = typer.Option(None, "--modul", help="Nomor modul; boleh diulang (bawaan: semua)."),
        batas_waktu: Optional[int] = typer.Option(None, "--batas-waktu", min=1,
                                                  help="Batas waktu per sel, dalam detik (bawaan: 30)."),
        paralel: Optional[int] = typer.Option(None, "--paralel", min=1,
                                              help="Banyaknya notebook yang dijalankan bersamaan (bawaan: banyaknya "
                                                   "inti prosesor + 2)."),
        tampilkan_nama: bool = typer.Option(False, "--tampilkan-nama", help="Nama peserta di halaman layar."),
    ) -> None:
        collect_and_grade(folder, ke, modul or None, batas_waktu, paralel, tampilkan_nama)

    @kelas.command("pantau", help="Tampilkan siapa yang macet di soal mana, per OPD, diperbarui sendiri.")
    @handle_errors
    def pantau_cmd(
        toko: Path = typer.Option(..., "--toko", help="Folder toko kelas (nilai SPM_KELAS_TOKO di kernel peserta)."),
        host: str = typer.Option("127.0.0.1", "--host", help="Alamat; 0.0.0.0 agar terlihat dari jaringan kelas."),
        port: int = typer.Option(8001, "--port", min=0, max=65535, help="Port halaman."),
        berkas_kunci: Optional[Path] = typer.Option(None, "--berkas-kunci", help="Berkas berisi kunci halaman: "
                                                    "halaman hanya terbuka dengan ?kunci=<isi berkas>."),
    ) -> None:
        _pantau(toko, host, port, berkas_kunci)
