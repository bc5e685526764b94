"""``spm kelas``: the classroom hub (``mulai``) and the facilitator's live progress page (``pantau``)."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from spm_helpers.cli.common import console, handle_errors


def _pantau(toko: Path, host: str, port: int) -> None:
    from spm_helpers.errors import SPMError
    from spm_helpers.training import progress

    if toko.exists() and not toko.is_dir():
        raise SPMError(f"'{toko}' bukan folder. Berikan folder toko kelas (tempat {progress.ENV_TOKO} menunjuk).")
    toko.mkdir(parents=True, exist_ok=True)
    try:
        server = progress.serve(toko, host, port)
    except OSError as exc:
        raise SPMError(f"Port {port} tidak dapat dipakai ({exc.strerror}). Pilih port lain dengan --port.") from None
    console.print(f"Halaman kemajuan: [bold]http://{host}:{server.server_address[1]}/[/] (tanpa nama; "
                  "tambahkan ?nama=1 untuk melihat nama, jangan di proyektor). Ctrl+C untuk berhenti.")
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


def _mulai(folder: Path, kode: str, ip: str, port: int, batas_diam: int, port_pantau: int) -> None:
    import os
    import sys

    from spm_helpers.training import hub

    path = hub.buat_konfigurasi(folder, kode, ip=ip, port=port, batas_diam=batas_diam, port_pantau=port_pantau)
    console.print(f"Kelas siap di {folder}. Peserta membuka [bold]http://<alamat-laptop-ini>:{port}/[/] dan masuk "
                  f"dengan nama, OPD dan kode kelas [bold]{kode}[/].")
    console.print(f"Halaman kemajuan (hanya di laptop ini): http://127.0.0.1:{port_pantau}/ . Ctrl+C untuk berhenti.")
    os.chdir(folder)
    os.execv(sys.executable, [sys.executable, "-m", "jupyterhub", "-f", str(path)])


def collect_and_grade(folder: Path, ke: Path | None, modul: list[int] | None, batas_waktu: int | None,
                      paralel: int | None, tampilkan_nama: bool) -> None:
    from datetime import datetime

    from spm_helpers.cli.training import grade_folder as nilai_folder
    from spm_helpers.errors import SPMError
    from spm_helpers.training import hub

    if not (folder / "peserta").is_dir():
        raise SPMError(f"'{folder}' bukan folder kelas (tidak ada subfolder peserta/).")
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
    ) -> None:
        _mulai(folder, kode, ip, port, batas_diam, port_pantau)

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
                                                   "inti prosesor + 1)."),
        tampilkan_nama: bool = typer.Option(False, "--tampilkan-nama", help="Nama peserta di halaman layar."),
    ) -> None:
        collect_and_grade(folder, ke, modul or None, batas_waktu, paralel, tampilkan_nama)

    @kelas.command("pantau", help="Tampilkan siapa yang macet di soal mana, per OPD, diperbarui sendiri.")
    @handle_errors
    def pantau_cmd(
        toko: Path = typer.Option(..., "--toko", help="Folder toko kelas (nilai SPM_KELAS_TOKO di kernel peserta)."),
        host: str = typer.Option("127.0.0.1", "--host", help="Alamat; 0.0.0.0 agar terlihat dari jaringan kelas."),
        port: int = typer.Option(8001, "--port", min=0, max=65535, help="Port halaman."),
    ) -> None:
        _pantau(toko, host, port)
