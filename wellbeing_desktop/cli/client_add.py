"""`wellbeing clients add --given G --family F [...]`: the new-client form's fields for scripts
and tests; `--json` gives the new id. A possible duplicate refuses (exit 2, naming them) unless
`--allow-duplicate`."""

from __future__ import annotations

import argparse
from datetime import date

from wellbeing_desktop.cli.common import CommandError, add_json, emit, open_context

FORMATS = ("standard", "large_print", "easy_read", "audio", "braille", "bsl")


def register_add(csub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = csub.add_parser("add", help="add a client (the fields of the new-client form)")
    p.add_argument("--given", required=True, help="first name")
    p.add_argument("--family", required=True, help="last name")
    p.add_argument("--preferred", default="", help="the name they like to be called")
    p.add_argument("--pronouns", default="")
    p.add_argument("--date-of-birth", default="", metavar="YYYY-MM-DD")
    p.add_argument("--nhs-number", default="", metavar="N", help="10 digits (spaces are fine)")
    p.add_argument("--address", default="", help="lines separated by commas or newlines")
    p.add_argument("--postcode", default="")
    p.add_argument("--phone", default="")
    p.add_argument("--email", default="")
    p.add_argument("--gp-practice", default="")
    p.add_argument("--contact-preferences", default="", help="free text, as on the form")
    p.add_argument("--language", default="en", metavar="L", help="a code such as en, pl, bn")
    p.add_argument("--interpreter", action="store_true", help="an interpreter is needed")
    p.add_argument("--document-format", default="standard", choices=FORMATS)
    p.add_argument("--communication-notes", default="")
    p.add_argument("--no-post", action="store_true",
                   help="post is not safe to the address held (no letters to the person)")
    p.add_argument("--no-messages", action="store_true",
                   help="do not leave messages (voicemail, text)")
    p.add_argument("--no-contact-consent", action="store_true",
                   help="the person has not agreed to be contacted")
    p.add_argument("--allow-duplicate", action="store_true",
                   help="add even if an existing record may be the same person")
    add_json(p)
    p.set_defaults(func=cmd_add)


def cmd_add(args: argparse.Namespace) -> int:
    from wellbeing_desktop.services import clients

    dob = None
    if args.date_of_birth:
        try:
            dob = date.fromisoformat(args.date_of_birth)
        except ValueError:
            raise CommandError(f"--date-of-birth {args.date_of_birth!r} is not a date like "
                               "1985-11-03") from None
    data = clients.ClientInput(
        given_name=args.given, family_name=args.family, preferred_name=args.preferred,
        pronouns=args.pronouns, date_of_birth=dob, nhs_number=args.nhs_number,
        address="\n".join(x.strip() for x in args.address.replace(",", "\n").splitlines()
                          if x.strip()),
        postcode=args.postcode, phone=args.phone, email=args.email,
        gp_practice=args.gp_practice, contact_preferences=args.contact_preferences,
        consent_contact=not args.no_contact_consent, language=args.language.strip().lower(),
        interpreter_needed=args.interpreter, document_format=args.document_format,
        communication_notes=args.communication_notes)
    with open_context(args) as ctx:
        try:
            saved = clients.create_client(ctx, data, allow_duplicates=args.allow_duplicate)
            if args.no_post or args.no_messages:
                from wellbeing_desktop.services import contact_attempts

                contact_attempts.set_contact_preferences(
                    ctx, saved.id, post_allowed=not args.no_post,
                    message_allowed=not args.no_messages)
        except clients.DuplicatesFound as exc:
            names = "; ".join(f"{c.client.display_name} {c.client.id} ({c.reason})"
                              for c in exc.candidates)
            raise CommandError(f"may be the same person as: {names}; add "
                               "--allow-duplicate to add a new record anyway") from None
    emit(args, {"id": str(saved.id)}, str(saved.id))
    return 0
