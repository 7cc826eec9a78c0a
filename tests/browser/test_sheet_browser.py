"""The printable routine sheet in a real browser (issue 18 item 7): the Print button
appears once its module runs and calls the browser's print; without scripts the button
stays hidden and the page still tells how to print; in print media the app's header,
menu and buttons are gone and the sheet is black on white, whatever the screen's scheme."""

PRINT_SPY_JS = "window.printed = 0; window.print = () => { window.printed += 1; };"
SHEET = "/routines/kettlebell-smash-reset/sheet"


def test_the_print_button_prints(live_server, new_page, expect) -> None:
    page = new_page(color_scheme="dark", width=390, height=844)
    page.add_init_script(PRINT_SPY_JS)
    page.goto(live_server.url + SHEET)
    button = page.get_by_role("button", name="Print")
    expect(button).to_be_visible()
    button.click()
    assert page.evaluate("window.printed") == 1


def test_without_scripts_the_page_says_how_to_print(live_server, new_page, expect) -> None:
    page = new_page(java_script_enabled=False)
    page.goto(live_server.url + SHEET)
    expect(page.locator("#print-sheet")).to_be_hidden()
    expect(page.locator(".sheet-how")).to_contain_text("print it from your browser's menu")


def test_on_paper_only_the_sheet_in_black_on_white(live_server, new_page, expect) -> None:
    page = new_page(color_scheme="dark")
    page.goto(live_server.url + SHEET)
    page.emulate_media(media="print")
    for hidden in ("header.top", ".sheet-actions", "footer.foot"):
        expect(page.locator(hidden)).to_be_hidden()
    colours = page.evaluate("""() => [getComputedStyle(document.body).backgroundColor,
                                      getComputedStyle(document.body).color]""")
    assert colours == ["rgb(255, 255, 255)", "rgb(0, 0, 0)"]
    columns = page.evaluate("getComputedStyle(document.querySelector('.sheet')).columnCount")
    assert columns == "2"
    figure = page.locator(".sheet-fig").first.bounding_box()
    assert figure["width"] < 100  # 20 mm of paper, not the screen's 9rem


def test_download_pdf_gives_the_file(live_server, new_page, tmp_path) -> None:
    page = new_page(accept_downloads=True)
    page.goto(live_server.url + SHEET)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF (A4)").click()
    assert download.value.suggested_filename == "kettlebell-smash-reset-sheet.pdf"
    saved = tmp_path / "sheet.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-")


def test_without_chromium_the_link_shows_why(
    start_server, new_page, expect, tmp_path, monkeypatch
) -> None:
    monkeypatch.setenv("SIRELIEF_CHROMIUM_PATH", str(tmp_path / "no-chromium"))
    server = start_server(tmp_path / "data")
    page = new_page()
    page.goto(server.url + SHEET)
    page.get_by_role("link", name="Download PDF (A4)").click()
    expect(page.get_by_role("heading", name="No PDF this time")).to_be_visible()
    page.get_by_role("link", name="Open the printable sheet").click()
    expect(page).to_have_url(server.url + SHEET)
