interface SearchInputProps {
  id: string;
  label: string;
  /** Keep the label for screen readers only (the placeholder says it on screen). */
  hideLabel?: boolean;
  placeholder: string;
  value: string;
  onSearch: (query: string) => void;
  autoFocus?: boolean;
}

/** A labelled search box that reports every keystroke's query. */
export function SearchInput({ id, label, hideLabel = false, placeholder, value, onSearch, autoFocus = false }: SearchInputProps) {
  return (
    <>
      <label htmlFor={id} className={hideLabel ? 'visually-hidden' : 'field-label'}>
        {label}
      </label>
      <input id={id} type="search" className="input" placeholder={placeholder} value={value} onChange={(event) => onSearch(event.target.value)} autoFocus={autoFocus} />
    </>
  );
}
