"""Makes the referrer spreadsheets in data/ (run once; the files are committed).

Shaped like what referrers really send: a title row and a blank row above the headings, Excel's
plain "CSV" (Windows-1252: Zoë, £, smart quotes) and "CSV UTF-8" (with a BOM), dates typed
four ways, NHS numbers with spaces, a trailing blank line; the workbook has real date cells, an
Excel serial number typed as a number, and a second sheet nobody asked for.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

HERE = Path(__file__).parent / "data"
HEAD = ["Surname", "Forename", "D.O.B.", "NHS No.", "Address", "Post Code", "Tel",
        "GP Surgery", "Referral Date", "Referred by", "Reason for referral", "Interpreter?",
        "Language"]
ROWS = [
    ["OKAFOR", "Grace", "03/11/1985", "999 000 1014", "12 Mill Lane, Kingsmere", "km1 4ab",
     "07700 900123", "Riverside Surgery", "01/12/2026", "Dr Patel",
     "Debt worries, “can’t sleep”, rent arrears of £400", "No", "English"],
    ["Nowak", "Zoë", "7-2-79", "9990002029", "Flat 3, 8 High St", "KM2 7QD", "01632 960555",
     "Riverside Surgery", "2 Dec 2026", "Dr Patel", "Isolated since moving; wants a group",
     "Yes", "Polish"],
    ["Begum", "Amina", "1992-06-21", "999 000 3033", "4 Park Road", "KM3 1XY", "07700 900456",
     "Hill Top Practice", "02.12.2026", "Step 2 PWP (J. Reed)", "Benefits stopped; low mood",
     "y", "Bengali"],
]
BAD = [
    # row 9: an impossible date of birth and an NHS number with a typo
    ["Smith", "John", "31/02/1980", "999 000 4049", "9 Elm Close", "KM1 2CD", "07700 900789",
     "Riverside Surgery", "03/12/2026", "Dr Patel", "Work stress", "No", "English"],
    # row 10: no surname, and a US-order date
    ["", "Lee", "11/25/1990", "", "2 Oak Way", "KM4 5EF", "", "", "03/12/2026", "Self",
     "Money", "", ""],
]


def csv_text(rows: list[list[str]]) -> str:
    import csv
    import io

    out = io.StringIO()
    out.write("Referrals to Health and Wellbeing: Riverside PCN, December\r\n\r\n")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEAD)
    writer.writerows(rows)
    out.write("\r\n")
    return out.getvalue()


def main() -> None:
    HERE.mkdir(exist_ok=True)
    (HERE / "riverside-cp1252.csv").write_bytes(csv_text(ROWS).encode("cp1252"))
    (HERE / "riverside-utf8-bom.csv").write_bytes(csv_text(ROWS).encode("utf-8-sig"))
    (HERE / "riverside-with-bad-rows.csv").write_bytes(
        csv_text([*ROWS, [""] * len(HEAD), *BAD]).encode("utf-8-sig"))
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Referrals"
    sheet.append(["Riverside PCN referrals"])
    sheet.append([])
    sheet.append(HEAD)
    for row in ROWS:
        cells: list[object] = list(row)
        cells[3] = int(row[3].replace(" ", ""))           # NHS number stored as a number
        cells[8] = datetime(2026, 12, 1)                  # a real date cell
        sheet.append(cells)
    sheet.cell(row=5, column=3, value=28893)              # DOB as an Excel serial: 7 Feb 1979
    sheet.cell(row=6, column=9, value="46358")             # referral date typed as serial text: 2 Dec
    book.create_sheet("Notes").append(["Ignore this sheet"])
    book.save(HERE / "riverside.xlsx")


if __name__ == "__main__":
    main()
